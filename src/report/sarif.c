#define _GNU_SOURCE
/* SARIF 2.1.0: the whole log is rewritten after each report, so nothing
 * depends on the program exiting through exit(), and once more at exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report_buf.h"
#include "symbols.h"

#define MAX_RESULTS 65536 /* about 2 KB each; then one notice */
#define MAX_LOCS 8

struct result {
	int report_kind;
	char fingerprint[17];
	const char *message; /* whole: header and every lock */
	char uri[MAX_LOCS][128];
	char func[MAX_LOCS][128];
	int line[MAX_LOCS];
	int nloc;
};

static struct result *results;
static uint32_t nresults, results_cap;
static _Atomic bool said_cap, said_oom;
/* The results an earlier image of this process wrote before it exec'ed,
 * as SARIF text, kept at the head of this image's log. */
static char *earlier;
static size_t earlier_len;

#define EARLIER_MAX (8u << 20)

void ul_sarif_after_exec(void)
{
	if (!ul_out_enabled(UL_OUT_SARIF))
		return;
	char *buf = ul_map(EARLIER_MAX);
	if (!buf)
		return;
	ssize_t n = ul_out_read_back(UL_OUT_SARIF, buf, EARLIER_MAX);
	static const char start[] = "\"results\":[", end[] = "]}]}\n";
	char *from = n > 0 ? memmem(buf, (size_t)n, start, sizeof start - 1) : NULL;
	if (from && (size_t)n < EARLIER_MAX && !memcmp(buf + n - (sizeof end - 1), end, sizeof end - 1)) {
		from += sizeof start - 1;
		size_t len = (size_t)(buf + n - (sizeof end - 1) - from);
		earlier = len ? ul_alloc(len) : NULL;
		if (earlier) {
			memcpy(earlier, from, len);
			earlier_len = len;
		}
	} else if (n >= (ssize_t)EARLIER_MAX) {
		static const char msg[] = "ulockdep: the SARIF log of the image before exec is larger than 8 MiB; "
					  "its results are not kept\n";
		ul_out_text(msg, sizeof msg - 1);
	}
	ul_unmap(buf, EARLIER_MAX);
}

static void esc(char *out, size_t len, const char *s)
{
	ul_json_escape(out, len, s, strlen(s), NULL);
}

void ul_sarif_after_fork(void)
{
	nresults = 0; /* a child reports only its own */
	earlier_len = 0;
}

void ul_sarif_add(const struct ul_rb *r)
{
	if (!ul_out_enabled(UL_OUT_SARIF))
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
	struct result *res = &results[nresults++];
	memset(res, 0, sizeof *res);
	res->report_kind = r->report_kind;
	memcpy(res->fingerprint, r->fingerprint, sizeof res->fingerprint);
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
	ul_sarif_write(false);
}

/* A JSON string's content, escaped in pieces: no length limit. */
static void put_esc(const char *s)
{
	size_t left = strlen(s);
	while (left) {
		char buf[1024];
		size_t used = 0, n = ul_json_escape(buf, sizeof buf, s, left, &used);
		ul_out_put(UL_OUT_SARIF, buf, n);
		if (!used)
			break;
		s += used;
		left -= used;
	}
}

void ul_sarif_write(bool at_exit)
{
	if (!ul_out_enabled(UL_OUT_SARIF) || (!nresults && !earlier_len && !(at_exit && ul_out_is_owner())) || !ul_out_begin(UL_OUT_SARIF))
		return;
	char buf[4096];
	int n = snprintf(buf, sizeof buf,
			 "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\","
			 "\"runs\":[{\"tool\":{\"driver\":{\"name\":\"ulockdep\",\"version\":\"0.1.0\","
			 "\"informationUri\":\"https://example.invalid/ulockdep\",\"rules\":[");
	for (int k = 0; k < UL_R_NKINDS; k++)
		n += snprintf(buf + n, sizeof buf - (size_t)n, "%s{\"id\":\"%s\"}", k ? "," : "", ul_report_kind_names[k]);
	n += snprintf(buf + n, sizeof buf - (size_t)n, "]}},\"results\":[");
	ul_out_put(UL_OUT_SARIF, buf, (size_t)n);
	if (earlier_len)
		ul_out_put(UL_OUT_SARIF, earlier, earlier_len);
	for (uint32_t i = 0; i < nresults; i++) {
		struct result *res = &results[i];
		n = snprintf(buf, sizeof buf, "%s{\"ruleId\":\"%s\",\"level\":\"error\",\"message\":{\"text\":\"",
			     i || earlier_len ? "," : "", ul_report_kind_names[res->report_kind]);
		ul_out_put(UL_OUT_SARIF, buf, (size_t)n);
		put_esc(res->message);
		n = snprintf(buf, sizeof buf, "\"},\"partialFingerprints\":{\"ulockdep/v1\":\"%s\"},\"locations\":[",
			     res->fingerprint);
		ul_out_put(UL_OUT_SARIF, buf, (size_t)n);
		for (int l = 0; l < res->nloc; l++) {
			char uri[300], fn[300];
			esc(uri, sizeof uri, res->uri[l]);
			esc(fn, sizeof fn, res->func[l]);
			n = snprintf(buf, sizeof buf,
				     "%s{\"physicalLocation\":{\"artifactLocation\":{\"uri\":\"%s\"},\"region\":{\"startLine\":%d}},"
				     "\"logicalLocations\":[{\"name\":\"%s\",\"kind\":\"function\"}]}",
				     l ? "," : "", uri, res->line[l] > 0 ? res->line[l] : 1, fn);
			ul_out_put(UL_OUT_SARIF, buf, (size_t)n);
		}
		ul_out_put(UL_OUT_SARIF, "]}", 2);
	}
	ul_out_put(UL_OUT_SARIF, "]}]}\n", 5);
	ul_out_end(UL_OUT_SARIF);
}
