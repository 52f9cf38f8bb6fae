#define _GNU_SOURCE
/* JSON lines: one object per report, appended with a single write() so
 * lines from several processes never interleave. */
#include <stdio.h>
#include <string.h>

#include "report_buf.h"
#include "symbols.h"

struct jbuf {
	char *p;
	size_t len, cap;
};

static void jput(struct jbuf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		n = b->cap - b->len - 1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

static void jraw(struct jbuf *b, const char *s)
{
	jput(b, s, strlen(s));
}

static void jstr(struct jbuf *b, const char *s)
{
	jput(b, "\"", 1);
	for (; s && *s; s++) {
		char esc[8];
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			jput(b, esc, 2);
		} else if (c == '\n') {
			jput(b, "\\n", 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			jput(b, esc, 6);
		} else {
			jput(b, s, 1);
		}
	}
	jput(b, "\"", 1);
}

/* Frames of a stack reference as JSON strings. */
void ul_json_frames(struct jbuf *b, const struct ul_rb_stack *s);
void ul_json_frames(struct jbuf *b, const struct ul_rb_stack *s)
{
	const struct ul_stack *st = ul_stack_get(s->stack);
	jraw(b, "[");
	for (uint32_t i = 0; st && i < st->n; i++) {
		char f[512];
		ul_sym_frame(st->pc[i], f, sizeof f);
		if (i)
			jraw(b, ",");
		jstr(b, f);
	}
	jraw(b, "]");
}

void ul_json_append(const char *file, const char *name, const char *line, size_t len)
{
	char path[600];
	if (!file || !*file)
		return;
	if (name) {
		if (snprintf(path, sizeof path, "%s/%s", file, name) >= (int)sizeof path)
			return;
		file = path;
	}
	int fd = ul_open_append(file);
	if (fd >= 0) {
		ul_write_all(fd, line, len);
		ul_close(fd);
	}
}

void ul_json_write(const struct ul_rb *r)
{
	const char *path = ul_rt.opt.json, *dir = ul_rt.opt.html_dir;
	if ((!path || !*path) && (!dir || !*dir))
		return;
	static char buf[128 * 1024];
	struct jbuf b = { buf, 0, sizeof buf };
	char num[64];
	jraw(&b, "{\"kind\":");
	jstr(&b, ul_report_kind_names[r->kind]);
	jraw(&b, ",\"message\":");
	jstr(&b, r->header);
	jraw(&b, ",\"locks\":[");
	for (int i = 0; i < r->nlocks; i++) {
		if (i)
			jraw(&b, ",");
		jstr(&b, r->locks[i]);
	}
	jraw(&b, "],\"thread\":");
	jstr(&b, r->thread);
	snprintf(num, sizeof num, ",\"pid\":%d,\"program\":", ul_getpid());
	jraw(&b, num);
	jstr(&b, ul_rt.progname);
	jraw(&b, ",\"stacks\":[");
	for (int i = 0; i < r->nstacks; i++) {
		if (i)
			jraw(&b, ",");
		jraw(&b, "{\"label\":");
		jstr(&b, r->stacks[i].label);
		jraw(&b, ",\"frames\":");
		ul_json_frames(&b, &r->stacks[i]);
		jraw(&b, "}");
	}
	jraw(&b, "],\"suppression\":");
	char rule[500];
	ul_suppress_rule(r, rule, sizeof rule);
	jstr(&b, rule);
	jraw(&b, ",\"report\":");
	jstr(&b, r->text);
	/* keep the line whole even when truncated */
	if (b.len + 3 >= b.cap)
		b.len = b.cap - 3;
	b.p[b.len++] = '}';
	b.p[b.len++] = '\n';
	ul_json_append(path, NULL, b.p, b.len);
	ul_json_append(dir, "reports.json", b.p, b.len);
}
