#define _GNU_SOURCE
/* JSON lines: one object per report, appended with a single write() so
 * lines from several processes never interleave. */
#include <stdio.h>
#include <string.h>

#include "report_buf.h"
#include "symbols.h"

/* A JSON line is built whole (one write) in a buffer that grows. */
struct jbuf {
	struct ul_sbuf s;
};

static void jput(struct jbuf *b, const char *s, size_t n)
{
	ul_sbuf_put(&b->s, s, n);
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

void ul_json_write(const struct ul_rb *r)
{
	const char *path = ul_rt.opt.json;
	if (!path || !*path)
		return;
	static char buf[128 * 1024];
	static struct jbuf b;
	if (!b.s.p)
		ul_sbuf_init(&b.s, buf, sizeof buf);
	ul_sbuf_reset(&b.s);
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
	jraw(&b, "],\"report\":");
	jstr(&b, r->text.p);
	if (b.s.oom) { /* a whole line, marked, rather than a cut one */
		ul_sbuf_reset(&b.s);
		jraw(&b, "{\"kind\":");
		jstr(&b, ul_report_kind_names[r->kind]);
		jraw(&b, ",\"message\":");
		jstr(&b, r->header);
		jraw(&b, ",\"truncated\":\"out of memory\"");
	}
	jraw(&b, "}\n");
	int fd = ul_open_append(path);
	if (fd >= 0) {
		ul_write_all(fd, b.s.p, b.s.len);
		ul_close(fd);
	}
}
