#define _GNU_SOURCE
/* Suppression rules: "KIND PATTERN # reason", one per line. PATTERN is a
 * glob matched against the report's lock class names and against every
 * function in its stacks. */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "report_buf.h"
#include "symbols.h"

#define MAX_RULES 256
#define MAX_FILE (1 << 20)
#define MAX_LINE 1023

struct rule {
	int report_kind; /* -1: any */
	char pattern[256];
	char reason[256];
	char where[300];
	_Atomic unsigned hits;
};

static struct rule *rules;
static int nrules;

static int kind_of(const char *s)
{
	if (!strcmp(s, "*"))
		return -1;
	for (int k = 0; k < UL_R_NKINDS; k++)
		if (!strcmp(s, ul_report_kind_names[k]))
			return k;
	return -2;
}

/* One rule line (NUL-terminated, no newline). */
static int parse_rule(const char *path, int lineno, char *line, char *err, int errlen)
{
	char *hash = strchr(line, '#');
	char reason[256] = "";
	if (hash) {
		*hash = 0;
		snprintf(reason, sizeof reason, "%s", hash + 1);
	}
	/* the fields by hand: a long pattern is named as such, not cut
	 * into a "too many fields" line */
	const char *ws = " \t\r\v\f";
	char *f[3];
	size_t len[3];
	int n = 0;
	for (char *p = line + strspn(line, ws); *p && n < 3; p += len[n++], p += strspn(p, ws)) {
		f[n] = p;
		len[n] = strcspn(p, ws);
	}
	if (n == 0)
		return 0; /* blank or comment-only */
	char kind[64] = "", pat[256] = "";
	snprintf(kind, sizeof kind, "%.*s", (int)len[0], f[0]);
	if (n >= 2 && len[1] < sizeof pat - 1)
		snprintf(pat, sizeof pat, "%.*s", (int)len[1], f[1]);
	const char *why = NULL;
	if (n == 1)
		why = "expected 'KIND PATTERN # reason'";
	else if (n > 2)
		why = "too many fields (quote nothing; one pattern per rule)";
	else if (len[0] >= sizeof kind || kind_of(kind) == -2)
		why = "unknown report kind";
	else if (len[1] >= sizeof pat - 1)
		why = "pattern longer than 254 bytes";
	else if (!hash || !reason[strspn(reason, " \t")])
		why = "missing '# reason' comment";
	if (why) {
		snprintf(err, (size_t)errlen,
			 "%s:%d: bad suppression: %s (kinds: circular recursive bad_unlock held_freed "
			 "held_at_exit inconsistent context_order assert deadlock wait, or *)",
			 path, lineno, why);
		return -1;
	}
	if (nrules >= MAX_RULES) {
		snprintf(err, (size_t)errlen, "%s:%d: more than %d rules", path, lineno, MAX_RULES);
		return -1;
	}
	struct rule *r = &rules[nrules++];
	r->report_kind = kind_of(kind);
	snprintf(r->pattern, sizeof r->pattern, "%s", pat);
	snprintf(r->reason, sizeof r->reason, "%s", reason + strspn(reason, " \t"));
	snprintf(r->where, sizeof r->where, "%s:%d", path, lineno);
	return 0;
}

/* A suppressions file is a regular file of at most MAX_FILE bytes, lines
 * of at most MAX_LINE bytes, no NUL bytes. Read with plain system calls
 * (no stdio: it may allocate through an interposed malloc). */
int ul_suppress_load(const char *path, int given, char *err, int errlen)
{
	int e = errno;
	int fd = given >= 0 ? given : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	struct stat st;
	const char *why = fd < 0 ? strerror(errno) : fstat(fd, &st) ? strerror(errno)
		: S_ISDIR(st.st_mode) ? "is a directory"
		: !S_ISREG(st.st_mode) ? "not a regular file (a FIFO or device is not read)"
		: st.st_size > MAX_FILE ? "larger than the limit of 1 MiB" : NULL;
	errno = e;
	if (why) {
		snprintf(err, (size_t)errlen, "%s: cannot read suppressions file: %s", path, why);
		if (fd >= 0 && fd != given)
			ul_close(fd);
		return -1;
	}
	if (!rules)
		rules = ul_alloc(MAX_RULES * sizeof *rules);
	char *buf = ul_map(MAX_FILE + 1);
	if (!rules || !buf) {
		snprintf(err, (size_t)errlen, "%s: out of memory", path);
		if (fd != given)
			ul_close(fd);
		return -1;
	}
	size_t len = 0;
	ssize_t n;
	/* pread: an inherited descriptor's offset is shared with other processes */
	while (len < MAX_FILE + 1 && ((n = pread(fd, buf + len, MAX_FILE + 1 - len, (off_t)len)) > 0 ||
				       (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	errno = e;
	if (fd != given)
		ul_close(fd);
	int rc = 0, lineno = 0;
	if (len > MAX_FILE) {
		snprintf(err, (size_t)errlen, "%s: cannot read suppressions file: larger than the limit of 1 MiB", path);
		rc = -1;
	}
	for (size_t at = 0; at < len && !rc;) {
		lineno++;
		char *nl = memchr(buf + at, '\n', len - at);
		size_t ll = (nl ? (size_t)(nl - buf) : len) - at;
		char line[MAX_LINE + 1];
		if (memchr(buf + at, 0, ll)) {
			snprintf(err, (size_t)errlen, "%s:%d: bad suppression: a NUL byte (binary file?)", path, lineno);
			rc = -1;
		} else if (ll > MAX_LINE) {
			snprintf(err, (size_t)errlen, "%s:%d: bad suppression: line longer than %d bytes", path,
				 lineno, MAX_LINE);
			rc = -1;
		} else {
			memcpy(line, buf + at, ll);
			line[ll] = 0;
			if (ll && line[ll - 1] == '\r')
				line[ll - 1] = 0;
			rc = parse_rule(path, lineno, line, err, errlen);
		}
		at += ll + 1;
	}
	ul_unmap(buf, MAX_FILE + 1);
	return rc;
}

int ul_suppress_match(const struct ul_rb *r)
{
	for (int i = 0; i < nrules; i++) {
		struct rule *ru = &rules[i];
		if (ru->report_kind != -1 && ru->report_kind != r->report_kind)
			continue;
		bool hit = false;
		for (int l = 0; l < r->nlocks && !hit; l++)
			hit = !fnmatch(ru->pattern, r->locks[l], 0);
		for (int s = 0; s < r->nstacks && !hit; s++) {
			const struct ul_stack *st = ul_stack_get(r->stacks[s].stack);
			for (uint32_t f = 0; st && f < st->n && !hit; f++) {
				char fns[8][128];
				int nf = ul_sym_funcs(st->pc[f], fns, 8);
				for (int k = 0; k < nf && !hit; k++)
					hit = !fnmatch(ru->pattern, fns[k], 0);
			}
		}
		if (hit) {
			atomic_fetch_add(&ru->hits, 1);
			return i;
		}
	}
	return -1;
}

void ul_suppress_rule(const struct ul_rb *r, char *buf, size_t len)
{
	const char *what = r->nlocks ? r->locks[0] : "*";
	/* a class name with spaces is matched by a glob on its first word */
	char pat[400];
	snprintf(pat, sizeof pat, "%s", what);
	char *sp = strchr(pat, ' ');
	if (sp)
		strcpy(sp, "*");
	snprintf(buf, len, "%s %s # <reason>", ul_report_kind_names[r->report_kind], pat);
}

void ul_suppress_print_rule(const struct ul_rb *r)
{
	char rule[500], buf[600];
	ul_suppress_rule(r, rule, sizeof rule);
	int n = snprintf(buf, sizeof buf, "ulockdep: suppression rule for this report:\n%s\n\n", rule);
	ul_out_text(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

void ul_suppress_summary(struct ul_sbuf *b)
{
	for (int i = 0; i < nrules; i++) {
		unsigned h = atomic_load(&rules[i].hits);
		if (h)
			ul_sbuf_printf(b, "  %u x %s %s (%s) # %s\n", h,
				       rules[i].report_kind < 0 ? "*" : ul_report_kind_names[rules[i].report_kind], rules[i].pattern,
				       rules[i].where, rules[i].reason);
	}
}
