#define _GNU_SOURCE
/* JSON lines: one object per report, appended with a single write() so
 * lines from several processes never interleave. Strings are always valid
 * UTF-8: a byte that is not part of valid UTF-8 is written as the text
 * \xHH (a backslash escaped as \\, then xHH). */
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "../common/utf8.h"
#include "report_buf.h"
#include "symbols.h"

size_t ul_json_escape(char *out, size_t len, const char *str, size_t slen, size_t *used)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t o = 0, i = 0;
	if (!len)
		return 0;
	for (; i < slen && s[i];) {
		char unit[8];
		size_t n = ul_utf8_len(s + i), u;
		if (n && i + n > slen)
			n = 0;
		if (s[i] == '"' || s[i] == '\\') {
			unit[0] = '\\';
			unit[1] = (char)s[i];
			u = 2;
		} else if (s[i] == '\n') {
			memcpy(unit, "\\n", u = 2);
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			u = (size_t)snprintf(unit, sizeof unit, "\\u%04x", s[i]);
		} else if (!n) {
			u = (size_t)snprintf(unit, sizeof unit, "\\\\x%02X", s[i]);
		} else {
			memcpy(unit, s + i, n);
			u = n;
		}
		if (o + u >= len)
			break;
		memcpy(out + o, unit, u);
		o += u;
		i += n ? n : 1;
	}
	out[o] = 0;
	if (used)
		*used = i;
	return o;
}

struct jbuf {
	char *p;
	size_t len, cap;
	bool full;
};

static void jraw(struct jbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n >= b->cap) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->len, s, n + 1);
	b->len += n;
}

/* A string; with cut, shortened (still valid) to at most max bytes. */
static void jstr_cut(struct jbuf *b, const char *s, size_t max, bool cut)
{
	jraw(b, "\"");
	size_t room = b->cap - b->len, want = s ? strlen(s) : 0, used = 0;
	if (room < 2 || b->full) {
		b->full = true;
		return;
	}
	if (cut && room > max)
		room = max;
	b->len += ul_json_escape(b->p + b->len, room - 1, s ? s : "", want, &used);
	if (used < want && !cut)
		b->full = true;
	jraw(b, "\"");
}

static void jstr(struct jbuf *b, const char *s)
{
	jstr_cut(b, s, 0, false);
}

/* Frames of a stack reference as JSON strings. */
static void json_frames(struct jbuf *b, const struct ul_rb_stack *s)
{
	const struct ul_stack *st = ul_stack_get(s->stack);
	jraw(b, "[");
	for (const char *l = s->text, *nl; l && *l; l = nl ? nl + 1 : l + strlen(l)) {
		char f[512];
		nl = strchr(l, '\n');
		snprintf(f, sizeof f, "%.*s", nl ? (int)(nl - l) : (int)strlen(l), l);
		jraw(b, l == s->text ? "" : ",");
		jstr(b, f);
	}
	for (uint32_t i = 0; st && i < st->n; i++) {
		char f[512];
		ul_sym_frame(st->pc[i], f, sizeof f);
		if (i)
			jraw(b, ",");
		jstr(b, f);
	}
	jraw(b, "]");
}

static void build(struct jbuf *b, const struct ul_rb *r, bool lite)
{
	char num[64];
	b->len = 0;
	b->full = false;
	b->p[0] = 0;
	jraw(b, "{\"kind\":");
	jstr(b, ul_report_kind_names[r->report_kind]);
	jraw(b, ",\"message\":");
	jstr(b, r->header);
	jraw(b, ",\"locks\":[");
	for (int i = 0; i < r->nlocks; i++) {
		if (i)
			jraw(b, ",");
		jstr(b, r->locks[i]);
	}
	/* the lock object (and instance id) behind each entry of "locks" */
	jraw(b, "],\"instances\":[");
	for (int i = 0; i < r->nlocks; i++) {
		if (i)
			jraw(b, ",");
		if (r->lock_addr[i] || r->lock_inst[i])
			snprintf(num, sizeof num, "{\"addr\":\"%#lx\",\"instance\":%u}",
				 (unsigned long)r->lock_addr[i], r->lock_inst[i]);
		else
			snprintf(num, sizeof num, "null");
		jraw(b, num);
	}
	jraw(b, "],\"thread\":");
	jstr(b, r->thread);
	snprintf(num, sizeof num, ",\"pid\":%d,\"program\":", ul_getpid());
	jraw(b, num);
	jstr(b, ul_rt.progname);
	jraw(b, ",\"stacks\":[");
	for (int i = 0; i < r->nstacks && !lite; i++) {
		if (i)
			jraw(b, ",");
		jraw(b, "{\"label\":");
		jstr(b, r->stacks[i].label);
		jraw(b, ",\"frames\":");
		json_frames(b, &r->stacks[i]);
		jraw(b, "}");
	}
	jraw(b, "],\"fingerprint\":");
	jstr(b, r->fingerprint);
	/* the rule that would silence this report (for the --html page) */
	char rule[500];
	ul_suppress_rule(r, rule, sizeof rule);
	jraw(b, ",\"suppression\":");
	jstr(b, rule);
	jraw(b, lite ? ",\"truncated\":true,\"report\":" : ",\"report\":");
	/* the report text goes last: in the short form it is cut to fit */
	jstr_cut(b, r->text.p, b->cap > b->len + 16 ? b->cap - b->len - 16 : 1, lite);
	jraw(b, "}\n");
}

/* --html: one line appended to a file in the launcher's private directory. */
void ul_html_data_append(const char *name, const char *line, size_t len)
{
	const char *dir = ul_rt.opt.html_dir;
	char path[4200];
	if (!dir || !*dir || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return;
	int fd = ul_open_append(path);
	if (fd >= 0) {
		ul_write_all(fd, line, len);
		ul_close(fd);
		return;
	}
	static _Atomic bool said;
	if (!atomic_exchange(&said, true))
		ul_report_notice("--html: cannot write to the launcher's directory (a uid change?); "
				 "this process is missing from the page");
}

void ul_json_write(const struct ul_rb *r)
{
	bool html = ul_rt.opt.html_dir && *ul_rt.opt.html_dir;
	if (!ul_out_enabled(UL_OUT_JSON) && !html)
		return;
	static char buf[128 * 1024];
	struct jbuf b = { buf, 0, sizeof buf, false };
	build(&b, r, false);
	if (b.full)
		build(&b, r, true); /* too big: no stacks, the text cut, still one valid line */
	if (!b.full && ul_out_enabled(UL_OUT_JSON))
		ul_out_append(UL_OUT_JSON, b.p, b.len);
	if (!b.full && html)
		ul_html_data_append("reports.json", b.p, b.len);
}
