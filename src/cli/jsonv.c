/* A small JSON reader for the launcher: parses the runtime's JSON files
 * into a tree (malloc'd, freed with jv_free). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

struct parser {
	const char *p;
	int depth;
};

static void ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static struct jv *node(enum jv_type t)
{
	struct jv *v = calloc(1, sizeof *v);
	if (v)
		v->type = t;
	return v;
}

static void utf8(char **o, unsigned c)
{
	if (c < 0x80) {
		*(*o)++ = (char)c;
	} else if (c < 0x800) {
		*(*o)++ = (char)(0xc0 | c >> 6);
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	} else {
		*(*o)++ = (char)(0xe0 | c >> 12);
		*(*o)++ = (char)(0x80 | ((c >> 6) & 0x3f));
		*(*o)++ = (char)(0x80 | (c & 0x3f));
	}
}

static char *string(struct parser *ps)
{
	const char *s = ++ps->p; /* after the quote */
	size_t n = 0;
	while (s[n] && s[n] != '"')
		n += s[n] == '\\' && s[n + 1] ? 2 : 1;
	if (s[n] != '"')
		return NULL;
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '\\') {
			*o++ = s[i];
			continue;
		}
		char e = s[++i];
		switch (e) {
		case 'n': *o++ = '\n'; break;
		case 't': *o++ = '\t'; break;
		case 'r': *o++ = '\r'; break;
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'u': {
			unsigned c = 0;
			int k = 0;
			for (; k < 4 && i + 1 < n; k++) {
				char h = s[++i];
				c = c * 16 + (unsigned)(h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10 : h - '0');
			}
			utf8(&o, c & 0xffff);
			break;
		}
		default: *o++ = e; break;
		}
	}
	*o = 0;
	ps->p = s + n + 1;
	return out;
}

static struct jv *value(struct parser *ps);

static struct jv *container(struct parser *ps, enum jv_type t, char close)
{
	struct jv *v = node(t), **tail;
	if (!v || ++ps->depth > 64)
		return jv_free(v), NULL;
	tail = &v->child;
	ps->p++;
	ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		ws(ps);
		if (t == JV_OBJ) {
			if (*ps->p != '"' || !(key = string(ps)))
				return jv_free(v), NULL;
			ws(ps);
			if (*ps->p++ != ':')
				return free(key), jv_free(v), NULL;
		}
		struct jv *c = value(ps);
		if (!c)
			return free(key), jv_free(v), NULL;
		c->key = key;
		*tail = c;
		tail = &c->next;
		ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p++ != close)
			return jv_free(v), NULL;
		ps->depth--;
		return v;
	}
}

static struct jv *value(struct parser *ps)
{
	ws(ps);
	const char *p = ps->p;
	struct jv *v;
	switch (*p) {
	case '{': return container(ps, JV_OBJ, '}');
	case '[': return container(ps, JV_ARR, ']');
	case '"':
		v = node(JV_STR);
		if (v && !(v->str = string(ps)))
			return jv_free(v), NULL;
		return v;
	case 't':
	case 'f':
	case 'n': {
		const char *word = *p == 't' ? "true" : *p == 'f' ? "false" : "null";
		if (strncmp(p, word, strlen(word)))
			return NULL;
		v = node(*p == 'n' ? JV_NULL : JV_BOOL);
		if (!v)
			return NULL;
		v->num = *p == 't';
		ps->p += strlen(word);
		return v;
	}
	default: {
		char *end;
		double d = strtod(p, &end);
		if (end == p)
			return NULL;
		v = node(JV_NUM);
		if (v)
			v->num = d;
		ps->p = end;
		return v;
	}
	}
}

struct jv *jv_parse(const char *s, const char **end)
{
	struct parser ps = { s, 0 };
	struct jv *v = value(&ps);
	ws(&ps);
	if (end)
		*end = ps.p;
	return v;
}

void jv_free(struct jv *v)
{
	while (v) {
		struct jv *n = v->next;
		jv_free(v->child);
		free(v->key);
		free(v->str);
		free(v);
		v = n;
	}
}

struct jv *jv_get(const struct jv *o, const char *key)
{
	if (!o || o->type != JV_OBJ)
		return NULL;
	for (struct jv *c = o->child; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

const char *jv_str(const struct jv *o, const char *key)
{
	struct jv *v = jv_get(o, key);
	return v && v->type == JV_STR ? v->str : "";
}

double jv_num(const struct jv *o, const char *key)
{
	struct jv *v = jv_get(o, key);
	return v && (v->type == JV_NUM || v->type == JV_BOOL) ? v->num : 0;
}
