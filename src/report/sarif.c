#define _GNU_SOURCE
/* SARIF 2.1.0: the whole log is rewritten after each report, so nothing
 * depends on the program exiting through exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_buf.h"
#include "symbols.h"

#define MAX_LOCS 8 /* locations per result: the first frames with a file:line */
#define MAX_RESULTS 65536 /* about 2 KB each */

struct result {
	int kind;
	const char *message;
	char uri[MAX_LOCS][128];
	char func[MAX_LOCS][128];
	int line[MAX_LOCS];
	int nloc;
};

/* Every report is kept (reports are deduplicated, so they are few). */
static struct result *results;
static uint32_t nresults, results_cap;
static _Atomic bool said_oom, said_path, said_cap;

static void esc(struct ul_sbuf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			ul_sbuf_put(b, "\\", 1);
		if ((unsigned char)*s < 0x20) {
			ul_sbuf_printf(b, "\\u%04x", (unsigned char)*s);
			continue;
		}
		ul_sbuf_put(b, s, 1);
	}
}

void ul_sarif_add(const struct ul_rb *r)
{
	if (!ul_rt.opt.sarif || !*ul_rt.opt.sarif)
		return;
	if (nresults >= MAX_RESULTS) {
		if (!atomic_exchange(&said_cap, true))
			ul_report_notice("limit reached for SARIF results (65536): later reports are in the text and "
					 "JSON output only");
		return;
	}
	if (!ul_array_grow((void **)&results, &results_cap, sizeof *results, nresults + 1, NULL)) {
		if (!atomic_exchange(&said_oom, true))
			ul_report_notice("out of memory for SARIF results: later reports are not in the SARIF log");
		return;
	}
	struct result *res = &results[nresults];
	memset(res, 0, sizeof *res);
	res->kind = r->kind;
	char first[512];
	struct ul_sbuf m;
	ul_sbuf_init(&m, first, sizeof first);
	ul_sbuf_printf(&m, "%s:", r->header);
	for (int i = 0; i < r->nlocks; i++)
		ul_sbuf_printf(&m, "%s %s", i ? " ->" : "", r->locks[i]);
	ul_sbuf_end(&m);
	char *msg = ul_alloc(m.len + 1);
	if (msg)
		memcpy(msg, m.p, m.len + 1);
	if (m.p != first)
		ul_unmap(m.p, m.cap);
	res->message = msg ? msg : r->header;
	nresults++;
	res->nloc = 0;
	/* one location per stack: its first frame with a file:line */
	for (int i = 0; i < r->nstacks && res->nloc < MAX_LOCS; i++) {
		const struct ul_stack *st = ul_stack_get(r->stacks[i].stack);
		for (uint32_t f = 0; st && f < st->n; f++) {
			const char *fl = ul_sym_fileline(st->pc[f]);
			const char *colon = fl ? strrchr(fl, ':') : NULL;
			if (!colon)
				continue;
			snprintf(res->uri[res->nloc], sizeof res->uri[0], "%.*s", (int)(colon - fl), fl);
			res->line[res->nloc] = atoi(colon + 1);
			ul_sym_func(st->pc[f], res->func[res->nloc], sizeof res->func[0]);
			res->nloc++;
			break;
		}
	}
	ul_sarif_write();
}

void ul_sarif_write(void)
{
	if (!results || !ul_rt.opt.sarif || !*ul_rt.opt.sarif)
		return;
	char path[UL_PATH_MAX], tmp[UL_PATH_MAX + 16];
	if (!ul_path_expand(ul_rt.opt.sarif, NULL, path, sizeof path)) {
		if (!atomic_exchange(&said_path, true))
			ul_report_notice("SARIF path longer than 4096 bytes: no SARIF log");
		return;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp%d", path, ul_getpid());
	int fd = ul_open_append(tmp);
	if (fd < 0)
		return;
	/* streamed: one record at a time through a buffer that grows */
	char first[4096];
	struct ul_sbuf b;
	ul_sbuf_init(&b, first, sizeof first);
	ul_sbuf_puts(&b, "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
			 "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"ulockdep\",\"version\":\"0.1.0\","
			 "\"informationUri\":\"https://example.invalid/ulockdep\",\"rules\":[");
	for (int k = 0; k < UL_R_NKINDS; k++)
		ul_sbuf_printf(&b, "%s{\"id\":\"%s\"}", k ? "," : "", ul_report_kind_names[k]);
	ul_sbuf_puts(&b, "]}},\"results\":[");
	for (uint32_t i = 0; i < nresults; i++) {
		struct result *res = &results[i];
		ul_sbuf_printf(&b, "%s{\"ruleId\":\"%s\",\"level\":\"error\",\"message\":{\"text\":\"", i ? "," : "",
			       ul_report_kind_names[res->kind]);
		esc(&b, res->message);
		ul_sbuf_puts(&b, "\"},\"locations\":[");
		for (int l = 0; l < res->nloc; l++) {
			ul_sbuf_printf(&b, "%s{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"", l ? "," : "");
			esc(&b, res->uri[l]);
			ul_sbuf_printf(&b, "\"},\"region\":{\"startLine\":%d}},\"logicalLocations\":[{\"name\":\"",
				       res->line[l] > 0 ? res->line[l] : 1);
			esc(&b, res->func[l]);
			ul_sbuf_puts(&b, "\",\"kind\":\"function\"}]}");
		}
		ul_sbuf_puts(&b, "]}");
		if (b.len > sizeof first / 2 || b.oom) {
			ul_write_all(fd, b.p, b.len);
			ul_sbuf_reset(&b);
		}
	}
	ul_write_all(fd, b.p, b.len);
	if (b.p != first)
		ul_unmap(b.p, b.cap);
	ul_write_all(fd, "]}]}\n", 5);
	ul_close(fd);
	rename(tmp, path);
}
