/* Report assembly and output. Reports are built in a static buffer under
 * the report lock, then written with one write() per destination. */
#define _GNU_SOURCE
#include "report.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "../common/outfile.h"
#include "history.h"
#include "output.h"
#include "report_buf.h"
#include "symbols.h"

#define UL_VERSION "0.1.0"

const char *const ul_report_kind_names[UL_R_NKINDS] = {
	"circular", "recursive", "bad_unlock", "held_freed", "held_at_exit",
	"inconsistent", "context_order", "assert", "deadlock", "wait",
};

UL_STATIC_MUTEX(report_lock);
UL_STATIC_MUTEX(summary_lock);
static struct ul_rb rb_static;
static _Atomic int report_owner;

static struct ul_carry carried;

void ul_report_after_fork(void)
{
	atomic_store(&report_owner, 0);
	memset(&carried, 0, sizeof carried); /* a child counts only its own */
}

void ul_report_notice(const char *msg)
{
	char buf[512];
	int n = snprintf(buf, sizeof buf, "ulockdep: %s (pid %d)\n", msg, ul_getpid());
	ul_out_text(buf, n < (int)sizeof buf ? (size_t)n : sizeof buf - 1);
}

const char *ul_rb_thread_name(struct ul_thread *t, char *buf, size_t len)
{
	char comm[32] = "";
	if (t && t->name[0]) {
		snprintf(comm, sizeof comm, "%s", t->name);
	} else if (t && t->tid == ul_gettid()) {
		prctl(PR_GET_NAME, comm, 0, 0, 0);
	} else if (t) {
		char p[64];
		snprintf(p, sizeof p, "/proc/self/task/%d/comm", t->tid);
		int fd = ul_open_read(p);
		if (fd >= 0) {
			ssize_t n = ul_read(fd, comm, sizeof comm - 1);
			comm[n > 0 ? n : 0] = 0;
			char *nl = strchr(comm, '\n');
			if (nl)
				*nl = 0;
			ul_close(fd);
		}
	}
	snprintf(buf, len, "%s/%d", comm[0] ? comm : "?", t ? t->tid : ul_gettid());
	return buf;
}

struct ul_rb *ul_rb_begin(int kind, const char *header, uint64_t id, struct ul_thread *t)
{
	if (ul_rt.opt.no_validate)
		return NULL; /* a pure profiler reports nothing */
	id = ul_hash64(id ^ ((uint64_t)kind << 56)) | 1;
	uint64_t v[3] = { 1, 0, 0 };
	if (ul_htab_get_or_put(&ul_rt.dedup, id, v) != 1)
		return NULL;
	if (atomic_load(&report_owner) == ul_gettid())
		return NULL; /* a report from inside a report */
	ul_mutex_lock(&report_lock);
	atomic_store(&report_owner, ul_gettid());
	struct ul_rb *r = &rb_static;
	r->kind = kind;
	r->header = header;
	r->len = 0;
	r->nlocks = 0;
	r->nstacks = 0;
	r->id = id;
	ul_rb_thread_name(t, r->thread, sizeof r->thread);
	size_t hl = strlen(header);
	char rule[160];
	if (hl >= sizeof rule)
		hl = sizeof rule - 1;
	memset(rule, '=', hl);
	rule[hl] = 0;
	ul_rb_printf(r, "\n%s\n%s\n%s pid %d, ulockdep %s\n", rule, header, ul_rt.progname,
		     ul_getpid(), UL_VERSION);
	memset(rule, '-', hl);
	ul_rb_printf(r, "%s\n", rule);
	return r;
}

void ul_rb_printf(struct ul_rb *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (r->len < sizeof r->text) {
		int n = vsnprintf(r->text + r->len, sizeof r->text - r->len, fmt, ap);
		if (n > 0)
			r->len += (size_t)n;
		if (r->len >= sizeof r->text)
			r->len = sizeof r->text - 1;
	}
	va_end(ap);
}

void ul_usage_string(uint32_t class_id, char out[5])
{
	struct ul_class *c = ul_class_get(class_id);
	out[0] = '{';
	for (int rw = 0; rw < 2; rw++) {
		bool used = c && atomic_load(&c->usage[rw ? UL_USAGE_USED_R : UL_USAGE_USED_W]);
		bool en = c && atomic_load(&c->usage[rw ? UL_USAGE_ENABLED_R : UL_USAGE_ENABLED_W]);
		/* "+" only counts when some handler uses a lock at all */
		out[1 + rw] = used && en ? '?' : used ? '-' : en && atomic_load(&ul_handled_sigs) ? '+' : '.';
	}
	out[3] = '}';
	out[4] = 0;
}

void ul_rb_lock_name(struct ul_rb *r, uint32_t class_id)
{
	char name[512], usage[5];
	ul_class_format(ul_class_get(class_id), name, sizeof name);
	ul_usage_string(class_id, usage);
	ul_rb_printf(r, "(%s)%s", name, usage);
	if (r->nlocks < UL_RB_LOCKS) {
		r->lock_ids[r->nlocks] = class_id;
		r->lock_addr[r->nlocks] = 0;
		r->lock_inst[r->nlocks] = 0;
		r->locks[r->nlocks++] = ul_class_label(ul_class_get(class_id));
	}
}

void ul_rb_lock_instance(struct ul_rb *r, uintptr_t addr, uint32_t inst)
{
	if (!r->nlocks)
		return;
	if (!inst && addr) {
		struct ul_lock l;
		if (ul_lock_get((const void *)addr, &l))
			inst = l.inst;
	}
	r->lock_addr[r->nlocks - 1] = addr;
	r->lock_inst[r->nlocks - 1] = inst;
}

static void add_stack_ref(struct ul_rb *r, const char *label, uint32_t stack, uintptr_t ip)
{
	if (r->nstacks >= UL_RB_STACKS)
		return;
	struct ul_rb_stack *s = &r->stacks[r->nstacks++];
	snprintf(s->label, sizeof s->label, "%s", label ? label : "");
	s->stack = stack;
	s->ip = ip;
	s->text = NULL;
}

void ul_rb_stack(struct ul_rb *r, const char *label, uint32_t stack, int indent)
{
	const struct ul_stack *s = ul_stack_get(stack);
	add_stack_ref(r, label, stack, 0);
	if (!s || !s->n) {
		ul_rb_printf(r, "%*s(stack unavailable)\n", indent, "");
		return;
	}
	ul_sym_prefetch(s->pc, (int)s->n);
	for (uint32_t i = 0; i < s->n; i++) {
		char f[2048];
		ul_sym_frame_lines(s->pc[i], f, sizeof f);
		/* a static binary has no runtime text range: stop at our thread start */
		if (strstr(f, "ul_thread_start+") || strstr(f, "ul_c11_thread_start+"))
			break;
		for (char *line = f, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			ul_rb_printf(r, "%*s%.*s\n", indent, "", nl ? (int)(nl - line) : (int)strlen(line), line);
		}
		/* stop at the program's entry like the kernel stops at ret_from_fork */
		if (strncmp(f, "main+", 5) == 0 || strstr(f, "\nmain+"))
			break;
	}
}

static void held_line(struct ul_rb *r, const struct ul_held *h, int i)
{
	char at[512];
	ul_sym_site_name(h->ip, at, sizeof at);
	ul_rb_printf(r, " #%d: %016lx ", i, (unsigned long)(uintptr_t)h->lock);
	int save = r->nlocks;
	ul_rb_lock_name(r, h->class_id);
	r->nlocks = save; /* the held list is context, not the problem's locks */
	ul_rb_printf(r, ", at: %s\n", at);
}

void ul_rb_held_locks(struct ul_rb *r, struct ul_thread *t)
{
	uint32_t d = atomic_load(&t->depth);
	char name[64];
	ul_rb_thread_name(t, name, sizeof name);
	if (!d) {
		ul_rb_printf(r, "no locks held by %s.\n", name);
		return;
	}
	uintptr_t ips[64];
	uint32_t k = 0;
	for (uint32_t i = 0; i < d && k < 64; i++)
		ips[k++] = t->held[i].ip;
	ul_sym_prefetch(ips, (int)k);
	ul_rb_printf(r, "%u lock%s held by %s:\n", d, d == 1 ? "" : "s", name);
	for (uint32_t i = 0; i < d; i++)
		if (t->held[i].lock)
			held_line(r, &t->held[i], (int)i);
}

void ul_rb_backtrace(struct ul_rb *r, uintptr_t from)
{
	ul_rb_printf(r, "\nstack backtrace:\n");
	ul_rb_stack(r, "backtrace", ul_stack_capture_from(from), 1);
}

/* The owner's counts, carried to the image it execs next. */

static void carry_save(void)
{
	if (!ul_out_is_owner())
		return;
	struct ul_carry c = { .pid = ul_getpid(), .images = carried.images,
			      .nreports = atomic_load(&ul_rt.nreports), .nsuppressed = atomic_load(&ul_rt.nsuppressed) };
	for (int k = 0; k < UL_R_NKINDS && k < 16; k++)
		c.kinds[k] = atomic_load(&ul_rt.report_kinds[k]);
	ul_out_carry_save(&c);
}

static void carry_load(void)
{
	struct ul_carry c;
	if (!ul_out_is_owner() || !ul_out_carry_load(&c))
		return;
	carried = c;
	carried.images = c.images + 1;
	atomic_fetch_add(&ul_rt.nreports, c.nreports);
	atomic_fetch_add(&ul_rt.nsuppressed, c.nsuppressed);
	for (int k = 0; k < UL_R_NKINDS && k < 16; k++)
		atomic_fetch_add(&ul_rt.report_kinds[k], c.kinds[k]);
	ul_sarif_after_exec();
}

static void count_report(struct ul_rb *r)
{
	atomic_fetch_add(&ul_rt.nreports, 1);
	atomic_fetch_add(&ul_rt.report_kinds[r->kind], 1);
	/* a known problem (--baseline) does not count for --exitcode */
	bool known = ul_baseline_has(r);
	if (!known && ul_out_enabled(UL_OUT_STATUS))
		ul_out_append(UL_OUT_STATUS, "r", 1); /* the launcher counts these */
	carry_save();
}

void ul_rb_finish(struct ul_rb *r)
{
	ul_report_fingerprint(r);
	int rule = ul_suppress_match(r);
	if (rule >= 0) {
		atomic_fetch_add(&ul_rt.nsuppressed, 1);
		carry_save();
	} else {
		ul_out_text(r->text, r->len);
		if (ul_rt.opt.print_suppressions)
			ul_suppress_print_rule(r);
		ul_json_write(r);
		ul_sarif_add(r);
		count_report(r);
	}
	atomic_store(&report_owner, 0);
	ul_mutex_unlock(&report_lock);
	if (rule < 0 && ul_rt.opt.abort_on_report) {
		ul_report_exit_summary();
		abort();
	}
}

void ul_report_init(void)
{
	carry_load();
	for (int i = 0; i < ul_rt.opt.suppressions_count; i++) {
		char err[PATH_MAX + 300], key[16], path[PATH_MAX];
		snprintf(key, sizeof key, "supp%d", i);
		/* %p: this process, or the launched one whose file the launcher opened */
		int fd = ul_out_inherited(key);
		if (ul_path_make(ul_rt.opt.suppressions[i], fd >= 0 ? ul_out_owner_pid() : ul_getpid(), NULL, NULL,
				 path, sizeof path))
			snprintf(path, sizeof path, "%s", ul_rt.opt.suppressions[i]);
		if (!ul_suppress_load(path, fd, err, sizeof err))
			continue;
		char msg[PATH_MAX + 400];
		/* The run's first process stops it; a later one (an exec after a
		 * uid change cannot read the file) goes on, its reports unfiltered. */
		bool first = ul_out_is_owner();
		int n = snprintf(msg, sizeof msg, "ulockdep: %s%s\n", err,
				 first ? "" : "; this process goes on without these rules");
		ul_write_all(2, msg, n < (int)sizeof msg ? (size_t)n : sizeof msg - 1);
		if (first)
			_exit(1);
	}
	const char *base = ul_rt.opt.baseline;
	char err[600];
	if (base && *base && ul_baseline_load(base, err, sizeof err)) {
		char msg[700];
		int n = snprintf(msg, sizeof msg, "ulockdep: %s\n", err);
		ul_write_all(2, msg, (size_t)n);
		_exit(1);
	}
}

/* The kernel's "Showing all locks held in the system". */
void ul_report_show_all_held(int fd)
{
	if (atomic_load(&report_owner) == ul_gettid())
		return;
	ul_mutex_lock(&report_lock);
	atomic_store(&report_owner, ul_gettid());
	struct ul_rb *r = &rb_static;
	r->len = 0;
	r->nlocks = r->nstacks = 0;
	ul_rb_printf(r, "\nShowing all locks held in the system:\n");
	ul_threads_lock();
	int shown = 0;
	for (struct ul_thread *t = ul_threads_first(); t; t = t->next) {
		const void *w = atomic_load(&t->wait_lock);
		if (!atomic_load(&t->depth) && !w)
			continue;
		ul_rb_held_locks(r, t);
		if (w) {
			struct ul_lock l;
			ul_rb_printf(r, "    (waiting for %016lx ", (unsigned long)(uintptr_t)w);
			int save = r->nlocks;
			if (ul_lock_get(w, &l))
				ul_rb_lock_name(r, l.class_id);
			r->nlocks = save;
			ul_rb_printf(r, ")\n");
		}
		shown++;
	}
	ul_threads_unlock();
	if (!shown)
		ul_rb_printf(r, "no locks held by any thread.\n");
	ul_rb_printf(r, "\n=============================================\n\n");
	if (fd >= 0)
		ul_write_all(fd, r->text, r->len);
	else
		ul_out_text(r->text, r->len);
	atomic_store(&report_owner, 0);
	ul_mutex_unlock(&report_lock);
}

void ul_report_exit_summary(void)
{
	unsigned nrep = atomic_load(&ul_rt.nreports), nsup = atomic_load(&ul_rt.nsuppressed);
	char lost[8];
	ul_out_lost_summary(lost, sizeof lost);
	if (!ul_rt.opt.summary || (!nrep && !nsup && !lost[0] && ul_rt.opt.verbosity < 1))
		return;
	static char buf[4096 + 6 * PATH_MAX];
	ul_mutex_lock(&summary_lock);
	size_t o = 0;
	o += (size_t)snprintf(buf + o, sizeof buf - o, "\nulockdep summary for %s (pid %d): %u report%s",
			      ul_rt.progname, ul_getpid(), nrep, nrep == 1 ? "" : "s");
	const char *sep = " (";
	for (int k = 0; k < UL_R_NKINDS; k++) {
		unsigned n = atomic_load(&ul_rt.report_kinds[k]);
		if (n) {
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s: %u", sep, ul_report_kind_names[k], n);
			sep = ", ";
		}
	}
	o += (size_t)snprintf(buf + o, sizeof buf - o, "%s, %u suppressed", sep[0] == ',' ? ")" : "", nsup);
	if (ul_baselined())
		o += (size_t)snprintf(buf + o, sizeof buf - o, ", %u in the baseline (not counted)", ul_baselined());
	o += (size_t)snprintf(buf + o, sizeof buf - o, "\n");
	if (carried.images)
		o += (size_t)snprintf(buf + o, sizeof buf - o,
				      "  counted with %u report%s and %u suppressed from %u earlier image%s of this "
				      "process (before exec)\n", carried.nreports, carried.nreports == 1 ? "" : "s",
				      carried.nsuppressed, carried.images, carried.images == 1 ? "" : "s");
	o += (size_t)snprintf(buf + o, sizeof buf - o,
			      "  lock classes: %u, dependencies: %u, chains: %lu, lock objects: %lu\n",
			      atomic_load(&ul_rt.nclasses) - 1, ul_graph_nedges(),
			      (unsigned long)atomic_load(&ul_rt.chains.count),
			      (unsigned long)atomic_load(&ul_rt.locks.count));
	if (nsup) {
		o += (size_t)snprintf(buf + o, sizeof buf - o, "  suppressed by rule:\n");
		ul_suppress_summary(buf + o, sizeof buf - o);
		o += strlen(buf + o);
	}
	static const struct { int id; const char *label; } files[] = {
		{ UL_OUT_JSON, "JSON" }, { UL_OUT_SARIF, "SARIF" }, { UL_OUT_LOG, "log" },
		{ UL_OUT_DOT, "graph" }, { UL_OUT_GJSON, "graph" },
	};
	for (size_t i = 0; i < UL_ARRAY_SIZE(files) && o < sizeof buf; i++)
		if (ul_out_enabled(files[i].id))
			o += (size_t)snprintf(buf + o, sizeof buf - o, "  %s: %s\n", files[i].label,
					      ul_out_path(files[i].id));
	if (ul_rt.opt.graph_db && *ul_rt.opt.graph_db && o < sizeof buf)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "  graph-db: %s, %u dependencies from earlier runs\n",
				      ul_rt.opt.graph_db, ul_history_nedges());
	if (o < sizeof buf) {
		ul_out_lost_summary(buf + o, sizeof buf - o);
		o += strlen(buf + o);
	}
	if (o > sizeof buf - 1)
		o = sizeof buf - 1;
	ul_out_text(buf, o);
	ul_mutex_unlock(&summary_lock);
}
