#define _GNU_SOURCE
/* --lock-stat at exit: the kernel's /proc/lock_stat layout (version 0.4)
 * on the log, and the same numbers as one JSON line. Also the data files
 * the launcher builds the --html page from (html_dir). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../core/lockstat.h"
#include "output.h"
#include "report_buf.h"
#include "symbols.h"

#define LINE_W (40 + 1 + 12 * (14 + 1))

struct out {
	char *p;
	size_t len, cap;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	if (o->len + 1 >= o->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

static void line(struct out *o, char c, int offset, int length)
{
	put(o, "%*s", offset, "");
	for (int i = 0; i < length; i++)
		put(o, "%c", c);
	put(o, "\n");
}

/* ns as the kernel prints them: microseconds with two decimals */
static void put_time(struct out *o, uint64_t ns)
{
	char num[32];
	ns += 5;
	snprintf(num, sizeof num, "%llu.%02u", (unsigned long long)(ns / 1000), (unsigned)(ns % 1000) / 10);
	put(o, " %14s", num);
}

static void put_lock_time(struct out *o, const struct ul_lstat_time *t, uint64_t nr)
{
	put(o, "%14llu", (unsigned long long)nr);
	put_time(o, t->min);
	put_time(o, t->max);
	put_time(o, t->total);
	put_time(o, t->nr ? t->total / t->nr : 0);
}

static void row(struct out *o, const char *name, const char *suffix, const struct ul_lstat *s, int m)
{
	char label[600];
	snprintf(label, sizeof label, "%s%s:", name, suffix);
	put(o, "%41s", label);
	put(o, "%14llu ", (unsigned long long)s->con_bounces[m]);
	put_lock_time(o, &s->wait[m], s->wait[m].nr);
	put(o, " %14llu ", (unsigned long long)s->acq_bounces[m]);
	put_lock_time(o, &s->hold[m], s->acquisitions[m]);
	put(o, "\n");
}

static void points(struct out *o, const char *name, int namelen, const struct ul_lstat_point *p)
{
	for (int i = 0; i < UL_LSTAT_POINTS && p[i].ip; i++) {
		char ip[32], sym[512];
		if (!i)
			line(o, '-', 40 - namelen > 0 ? 40 - namelen : 0, namelen);
		snprintf(ip, sizeof ip, "[<%016lx>]", (unsigned long)p[i].ip);
		ul_sym_frame(p[i].ip, sym, sizeof sym);
		put(o, "%40s %14llu %29s %s\n", name, (unsigned long long)p[i].n, ip, sym);
	}
}

static void text(struct out *o, const struct ul_lstat_class *cs, uint32_t n)
{
	put(o, "\nlock_stat version 0.4\n");
	line(o, '-', 0, LINE_W);
	put(o, "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n", "class name", "con-bounces",
	    "contentions", "waittime-min", "waittime-max", "waittime-total", "waittime-avg", "acq-bounces",
	    "acquisitions", "holdtime-min", "holdtime-max", "holdtime-total", "holdtime-avg");
	line(o, '-', 0, LINE_W);
	put(o, "\n");
	for (uint32_t i = 0; i < n; i++) {
		const struct ul_lstat_class *c = &cs[i];
		const struct ul_lstat *s = &c->s;
		char name[512];
		ul_class_format(ul_class_get(c->class_id), name, sizeof name);
		bool w = s->acquisitions[0], r = s->acquisitions[1];
		if (w)
			row(o, name, r ? "-W" : "", s, 0);
		if (r)
			row(o, name, w ? "-R" : "", s, 1);
		if (!s->wait[0].nr && !s->wait[1].nr)
			continue;
		int namelen = (int)strlen(name) + (r ? 2 : 0);
		points(o, name, namelen, c->contention);
		points(o, name, namelen, c->contending);
		put(o, "\n");
		line(o, '.', 0, LINE_W);
		put(o, "\n");
	}
}

static void jstr(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			put(o, "\\%c", c);
		else if (c < 0x20)
			put(o, "\\u%04x", c);
		else
			put(o, "%c", c);
	}
	put(o, "\"");
}

static void jmode(struct out *o, const char *key, const struct ul_lstat *s, int m)
{
	const struct ul_lstat_time *wt = &s->wait[m], *ht = &s->hold[m];
	put(o, ",\"%s\":{\"con_bounces\":%llu,\"contentions\":%llu,\"waittime_min_ns\":%llu,"
	       "\"waittime_max_ns\":%llu,\"waittime_total_ns\":%llu,\"waittime_avg_ns\":%llu,"
	       "\"acq_bounces\":%llu,\"acquisitions\":%llu,\"holdtime_min_ns\":%llu,\"holdtime_max_ns\":%llu,"
	       "\"holdtime_total_ns\":%llu,\"holdtime_avg_ns\":%llu}",
	    key, (unsigned long long)s->con_bounces[m], (unsigned long long)wt->nr, (unsigned long long)wt->min,
	    (unsigned long long)wt->max, (unsigned long long)wt->total,
	    (unsigned long long)(wt->nr ? wt->total / wt->nr : 0), (unsigned long long)s->acq_bounces[m],
	    (unsigned long long)s->acquisitions[m], (unsigned long long)ht->min, (unsigned long long)ht->max,
	    (unsigned long long)ht->total, (unsigned long long)(ht->nr ? ht->total / ht->nr : 0));
}

static void jpoints(struct out *o, const char *key, const struct ul_lstat_point *p)
{
	put(o, ",\"%s\":[", key);
	for (int i = 0; i < UL_LSTAT_POINTS && p[i].ip; i++) {
		char sym[512];
		ul_sym_frame(p[i].ip, sym, sizeof sym);
		put(o, "%s{\"count\":%llu,\"ip\":\"%#lx\",\"at\":", i ? "," : "", (unsigned long long)p[i].n,
		    (unsigned long)p[i].ip);
		jstr(o, sym);
		put(o, "}");
	}
	put(o, "]");
}

static void json(struct out *o, const struct ul_lstat_class *cs, uint32_t n)
{
	put(o, "{\"lock_stat\":{\"version\":\"0.4\",\"pid\":%d,\"program\":", ul_getpid());
	jstr(o, ul_rt.progname);
	put(o, ",\"classes\":[");
	for (uint32_t i = 0; i < n; i++) {
		const struct ul_lstat_class *c = &cs[i];
		char name[512];
		ul_class_format(ul_class_get(c->class_id), name, sizeof name);
		put(o, "%s{\"name\":", i ? "," : "");
		jstr(o, name);
		if (c->s.acquisitions[0])
			jmode(o, "write", &c->s, 0);
		if (c->s.acquisitions[1])
			jmode(o, "read", &c->s, 1);
		jpoints(o, "contention_points", c->contention);
		jpoints(o, "contending_points", c->contending);
		put(o, "}");
	}
	put(o, "]}}\n");
}

void ul_lockstat_report(void);
void ul_lockstat_report(void)
{
	const char *dir = ul_rt.opt.html_dir;
	bool to_dir = dir && *dir;
	if (!ul_lstat_on && (ul_rt.opt.lock_stat || to_dir))
		ul_report_notice("lock statistics are off: no memory for their tables");
	if (!ul_lstat_on || (!ul_rt.opt.lock_stat && !to_dir))
		return;
	struct ul_thread *t = ul_self;
	if (t)
		t->busy++; /* the runtime's own work below is not the program's */
	uint32_t n;
	size_t bytes = 0;
	struct ul_lstat_class *cs = ul_lstat_collect(&n, &bytes);
	uintptr_t ips[2 * UL_LSTAT_POINTS * 64];
	int k = 0;
	for (uint32_t i = 0; i < n && k + 2 * UL_LSTAT_POINTS <= (int)UL_ARRAY_SIZE(ips); i++)
		for (int j = 0; j < UL_LSTAT_POINTS; j++) {
			if (cs[i].contention[j].ip)
				ips[k++] = cs[i].contention[j].ip;
			if (cs[i].contending[j].ip)
				ips[k++] = cs[i].contending[j].ip;
		}
	if (k)
		ul_sym_prefetch(ips, k);
	struct out o = { NULL, 0, 4096 + (size_t)n * 4096 };
	o.p = ul_map(o.cap);
	if (o.p) {
		if (ul_rt.opt.lock_stat) {
			text(&o, cs, n);
			ul_out_text(o.p, o.len);
		}
		o.len = 0;
		json(&o, cs, n);
		if (ul_rt.opt.lock_stat && ul_out_enabled(UL_OUT_JSON))
			ul_out_append(UL_OUT_JSON, o.p, o.len);
		ul_html_data_append("lockstat.json", o.p, o.len);
		ul_unmap(o.p, o.cap);
	}
	if (cs)
		ul_unmap(cs, bytes);
	if (t)
		t->busy--;
}

/* The summary for the --html page: one JSON line per process. */
void ul_html_data_export(void);
void ul_html_data_export(void)
{
	const char *dir = ul_rt.opt.html_dir;
	if (!dir || !*dir)
		return;
	char buf[1024];
	struct out o = { buf, 0, sizeof buf };
	put(&o, "{\"run\":{\"program\":");
	jstr(&o, ul_rt.progname);
	put(&o, ",\"pid\":%d,\"reports\":%u,\"suppressed\":%u,\"classes\":%u,\"dependencies\":%u,"
		"\"chains\":%lu,\"lock_objects\":%lu,\"validate\":%s,\"lock_stat\":%s}}\n",
	    ul_getpid(), atomic_load(&ul_rt.nreports), atomic_load(&ul_rt.nsuppressed),
	    atomic_load(&ul_rt.nclasses), ul_graph_nedges(), (unsigned long)atomic_load(&ul_rt.chains.count),
	    (unsigned long)atomic_load(&ul_rt.locks.count), ul_rt.opt.no_validate ? "false" : "true",
	    ul_lstat_on ? "true" : "false");
	ul_html_data_append("run.json", o.p, o.len);
}
