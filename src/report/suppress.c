#define _GNU_SOURCE
/* Suppression rules: "KIND PATTERN # reason", one per line. PATTERN is a
 * glob matched against the report's lock class names and against every
 * function in its stacks. */
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>

#include "report_buf.h"
#include "symbols.h"

#define MAX_RULES 256

struct rule {
	int kind; /* -1: any */
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

int ul_suppress_load(const char *path, char *err, int errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		snprintf(err, (size_t)errlen, "%s: cannot open suppressions file", path);
		return -1;
	}
	if (!rules)
		rules = ul_alloc(MAX_RULES * sizeof *rules);
	char line[1024];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *hash = strchr(line, '#');
		char reason[256] = "";
		if (hash) {
			*hash = 0;
			snprintf(reason, sizeof reason, "%s", hash + 1);
			reason[strcspn(reason, "\n")] = 0;
		}
		char kind[64], pat[256], extra[8];
		int n = sscanf(line, "%63s %255s %7s", kind, pat, extra);
		if (n <= 0)
			continue; /* blank or comment-only */
		const char *why = NULL;
		if (n == 1)
			why = "expected 'KIND PATTERN # reason'";
		else if (n > 2)
			why = "too many fields (quote nothing; one pattern per rule)";
		else if (kind_of(kind) == -2)
			why = "unknown report kind";
		else if (!hash || !reason[strspn(reason, " \t")])
			why = "missing '# reason' comment";
		if (why) {
			snprintf(err, (size_t)errlen,
				 "%s:%d: bad suppression: %s (kinds: circular recursive bad_unlock held_freed "
				 "held_at_exit inconsistent context_order assert deadlock, or *)",
				 path, lineno, why);
			rc = -1;
			break;
		}
		if (nrules >= MAX_RULES) {
			snprintf(err, (size_t)errlen, "%s:%d: more than %d rules", path, lineno, MAX_RULES);
			rc = -1;
			break;
		}
		struct rule *r = &rules[nrules++];
		r->kind = kind_of(kind);
		snprintf(r->pattern, sizeof r->pattern, "%s", pat);
		snprintf(r->reason, sizeof r->reason, "%s", reason + strspn(reason, " \t"));
		snprintf(r->where, sizeof r->where, "%s:%d", path, lineno);
	}
	fclose(f);
	return rc;
}

int ul_suppress_match(const struct ul_rb *r)
{
	for (int i = 0; i < nrules; i++) {
		struct rule *ru = &rules[i];
		if (ru->kind != -1 && ru->kind != r->kind)
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

void ul_suppress_print_rule(const struct ul_rb *r, int fd)
{
	char buf[700];
	const char *what = r->nlocks ? r->locks[0] : "*";
	/* a class name with spaces is matched by a glob on its first word */
	char pat[400];
	snprintf(pat, sizeof pat, "%s", what);
	char *sp = strchr(pat, ' ');
	if (sp)
		strcpy(sp, "*");
	int n = snprintf(buf, sizeof buf, "ulockdep: suppression rule for this report:\n%s %s # <reason>\n\n",
			 ul_report_kind_names[r->kind], pat);
	ul_write_all(fd, buf, (size_t)n);
}

void ul_suppress_summary(struct ul_sbuf *b)
{
	for (int i = 0; i < nrules; i++) {
		unsigned h = atomic_load(&rules[i].hits);
		if (h)
			ul_sbuf_printf(b, "  %u x %s %s (%s) # %s\n", h,
				       rules[i].kind < 0 ? "*" : ul_report_kind_names[rules[i].kind], rules[i].pattern,
				       rules[i].where, rules[i].reason);
	}
}
