#define _GNU_SOURCE
#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct ul_option_desc ul_option_table[] = {
#define OPT(n, t, d, m, h) { #n, #t[0], d, m, h },
#include "options.def"
#undef OPT
};
const int ul_option_count = (int)(sizeof(ul_option_table) / sizeof(ul_option_table[0]));

const struct ul_option_desc *ul_option_find(const char *name)
{
	for (int i = 0; i < ul_option_count; i++)
		if (strcmp(ul_option_table[i].name, name) == 0)
			return &ul_option_table[i];
	return NULL;
}

bool ul_option_internal(const struct ul_option_desc *d)
{
	return !strncmp(d->help, "Internal:", 9);
}

void ul_option_names(char *buf, int len)
{
	int off = 0;
	buf[0] = 0;
	for (int i = 0; i < ul_option_count && off < len; i++)
		if (!ul_option_internal(&ul_option_table[i]))
			off += snprintf(buf + off, (size_t)(len - off), "%s%s", off ? ", " : "",
					ul_option_table[i].name);
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

static int parse_int(const char *v, long *out)
{
	char *end;
	if (!*v)
		return -1;
	long x = strtol(v, &end, 0);
	if (*end)
		return -1;
	*out = x;
	return 0;
}

int ul_option_set(struct ul_options *o, const char *name, const char *value, char *err, int errlen)
{
	int bad = 0;
#define OPT(n, t, d, m, h) \
	if (!strcmp(name, #n)) { UL_OPT_SET_##t(n); goto done; }
#define UL_OPT_SET_B(n) bad = parse_bool(value, &o->n)
#define UL_OPT_SET_I(n) bad = parse_int(value, &o->n)
#define UL_OPT_SET_S(n) o->n = value
#define UL_OPT_SET_L(n) \
	if (!*value) { o->n##_count = 0; } \
	else if (o->n##_count >= UL_MAX_LIST) bad = -1; \
	else o->n[o->n##_count++] = value
#include "options.def"
#undef OPT
	{
		char names[1024];
		ul_option_names(names, sizeof names);
		snprintf(err, (size_t)errlen, "unknown option '%s'; valid options: %s", name, names);
		return -1;
	}
done:
	if (bad) {
		const struct ul_option_desc *d = ul_option_find(name);
		snprintf(err, (size_t)errlen, "bad value '%s' for option '%s' (expects %s)", value, name,
			 d->type == 'B' ? "0 or 1" : d->type == 'I' ? "an integer" : "a value");
		return -1;
	}
	return 0;
}

void ul_options_defaults(struct ul_options *o)
{
	char err[64];
	memset(o, 0, sizeof *o);
	for (int i = 0; i < ul_option_count; i++)
		if (ul_option_table[i].type != 'L')
			ul_option_set(o, ul_option_table[i].name, ul_option_table[i].def, err, sizeof err);
}

/* A ':' separates options only where an option name and '=' follow, so
 * values such as "exit:3" or "/a:b" stay whole. */
static char *next_sep(char *p)
{
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n')
			return p;
		if (*p == ':') {
			char *q = p + 1;
			while ((*q >= 'a' && *q <= 'z') || *q == '_')
				q++;
			if (q > p + 1 && *q == '=')
				return p;
		}
	}
	return p;
}

int ul_options_parse(struct ul_options *o, char *s, char *err, int errlen)
{
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == ':')
			s++;
		if (!*s)
			break;
		char *end = next_sep(s);
		char c = *end;
		*end = 0;
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, (size_t)errlen, "option '%s' has no '=value'", s);
			return -1;
		}
		*eq = 0;
		if (ul_option_set(o, s, eq + 1, err, errlen))
			return -1;
		s = c ? end + 1 : end;
	}
	return 0;
}
