/* Report assembly and output. Reports are built in a static buffer under
 * the report lock, then written with one write() per destination. */
#define _GNU_SOURCE
#include "report.h"

#include <limits.h>
#include <stdarg.h>
#include <pthread.h>
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
static char rb_text[UL_RB_TEXT];
static const char *rb_locks[UL_RB_LOCKS];
static uint32_t rb_lock_ids[UL_RB_LOCKS];
static uintptr_t rb_lock_addr[UL_RB_LOCKS];
static uint32_t rb_lock_inst[UL_RB_LOCKS];
static struct ul_rb_stack rb_stacks[UL_RB_STACKS];

/* The one report buffer, used under report_lock. */
static struct ul_rb *rb_get(void)
{
	struct ul_rb *r = &rb_static;
	if (!r->text.p) {
		ul_sbuf_init(&r->text, rb_text, sizeof rb_text);
		r->locks = rb_locks;
		r->lock_ids = rb_lock_ids;
		r->lock_addr = rb_lock_addr;
		r->lock_inst = rb_lock_inst;
		r->locks_cap = UL_RB_LOCKS;
		r->stacks = rb_stacks;
		r->stacks_cap = UL_RB_STACKS;
	}
	ul_sbuf_reset(&r->text);
	r->nlocks = r->nstacks = 0;
	return r;
}
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

struct ul_rb *ul_rb_begin(int report_kind, const char *header, uint64_t id, struct ul_thread *t)
{
	if (ul_rt.opt.no_validate)
		return NULL; /* a pure profiler reports nothing */
	id = ul_hash64(id ^ ((uint64_t)report_kind << 56)) | 1;
	uint64_t v[3] = { 1, 0, 0 };
	if (ul_htab_get_or_put(&ul_rt.dedup, id, v) != 1)
		return NULL;
	if (atomic_load(&report_owner) == ul_gettid())
		return NULL; /* a report from inside a report */
	int cancel;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel); /* no cancellation point inside */
	ul_mutex_lock(&report_lock);
	atomic_store(&report_owner, ul_gettid());
	struct ul_rb *r = rb_get();
	r->cancel_state = cancel;
	r->report_kind = report_kind;
	r->header = header;
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
	ul_sbuf_vprintf(&r->text, fmt, ap);
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
	ul_rb_add_lock(r, ul_class_label(ul_class_get(class_id)), class_id, 0, 0);
}

/* The lock list grows: four parallel arrays, one capacity. */
static bool locks_grow(struct ul_rb *r)
{
	uint32_t cap = r->locks_cap * 2;
	const char **l = ul_map(cap * sizeof *l);
	uint32_t *id = ul_map(cap * sizeof *id);
	uintptr_t *a = ul_map(cap * sizeof *a);
	uint32_t *in = ul_map(cap * sizeof *in);
	if (!l || !id || !a || !in) {
		if (l)
			ul_unmap(l, cap * sizeof *l);
		if (id)
			ul_unmap(id, cap * sizeof *id);
		if (a)
			ul_unmap(a, cap * sizeof *a);
		if (in)
			ul_unmap(in, cap * sizeof *in);
		return false;
	}
	memcpy(l, r->locks, r->nlocks * sizeof *l);
	memcpy(id, r->lock_ids, r->nlocks * sizeof *id);
	memcpy(a, r->lock_addr, r->nlocks * sizeof *a);
	memcpy(in, r->lock_inst, r->nlocks * sizeof *in);
	if (r->locks != rb_locks) {
		ul_unmap(r->locks, r->locks_cap * sizeof *l);
		ul_unmap(r->lock_ids, r->locks_cap * sizeof *id);
		ul_unmap(r->lock_addr, r->locks_cap * sizeof *a);
		ul_unmap(r->lock_inst, r->locks_cap * sizeof *in);
	}
	r->locks = l;
	r->lock_ids = id;
	r->lock_addr = a;
	r->lock_inst = in;
	r->locks_cap = cap;
	return true;
}

void ul_rb_add_lock(struct ul_rb *r, const char *name, uint32_t class_id, uintptr_t addr, uint32_t inst)
{
	if ((uint32_t)r->nlocks >= r->locks_cap && !locks_grow(r))
		return;
	r->lock_ids[r->nlocks] = class_id;
	r->lock_addr[r->nlocks] = addr;
	r->lock_inst[r->nlocks] = inst;
	r->locks[r->nlocks++] = name;
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
	if (!ul_array_grow((void **)&r->stacks, &r->stacks_cap, sizeof *r->stacks, (uint32_t)r->nstacks + 1,
			   rb_stacks))
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
	atomic_fetch_add(&ul_rt.report_kinds[r->report_kind], 1);
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
		ul_sbuf_end(&r->text);
		ul_out_text(r->text.p, r->text.len);
		if (ul_rt.opt.print_suppressions)
			ul_suppress_print_rule(r);
		ul_json_write(r);
		ul_sarif_add(r);
		count_report(r);
	}
	int cancel = r->cancel_state;
	atomic_store(&report_owner, 0);
	ul_mutex_unlock(&report_lock);
	pthread_setcancelstate(cancel, NULL);
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
	int cancel;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel);
	ul_mutex_lock(&report_lock);
	atomic_store(&report_owner, ul_gettid());
	struct ul_rb *r = rb_get();
	ul_rb_printf(r, "\nShowing all locks held in the system:\n");
	ul_threads_lock();
	int shown = 0;
	for (struct ul_thread *t = ul_threads_first(); t; t = t->next) {
		const void *w = atomic_load(&t->wait_lock);
		if (!atomic_load(&t->depth) && !w && !atomic_load(&t->wait_event))
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
		const void *ev = atomic_load(&t->wait_event);
		if (!w && ev)
			ul_rb_printf(r, "    (waiting in %s for %016lx)\n",
				     ul_event_verb(atomic_load(&t->wait_event_kind), false), (unsigned long)(uintptr_t)ev);
		shown++;
	}
	ul_threads_unlock();
	if (!shown)
		ul_rb_printf(r, "no locks held by any thread.\n");
	ul_rb_printf(r, "\n=============================================\n\n");
	ul_sbuf_end(&r->text);
	if (fd >= 0)
		ul_write_all(fd, r->text.p, r->text.len);
	else
		ul_out_text(r->text.p, r->text.len);
	atomic_store(&report_owner, 0);
	ul_mutex_unlock(&report_lock);
	pthread_setcancelstate(cancel, NULL);
}

void ul_report_exit_summary(void)
{
	unsigned nrep = atomic_load(&ul_rt.nreports), nsup = atomic_load(&ul_rt.nsuppressed);
	char lost[8];
	ul_out_lost_summary(lost, sizeof lost);
	if (!ul_rt.opt.summary || (!nrep && !nsup && !lost[0] && ul_rt.opt.verbosity < 1))
		return;
	char first[4096];
	struct ul_sbuf b;
	ul_mutex_lock(&summary_lock);
	ul_sbuf_init(&b, first, sizeof first);
	ul_sbuf_printf(&b, "\nulockdep summary for %s (pid %d): %u report%s", ul_rt.progname, ul_getpid(), nrep,
		       nrep == 1 ? "" : "s");
	const char *sep = " (";
	for (int k = 0; k < UL_R_NKINDS; k++) {
		unsigned n = atomic_load(&ul_rt.report_kinds[k]);
		if (n) {
			ul_sbuf_printf(&b, "%s%s: %u", sep, ul_report_kind_names[k], n);
			sep = ", ";
		}
	}
	ul_sbuf_printf(&b, "%s, %u suppressed", sep[0] == ',' ? ")" : "", nsup);
	if (ul_baselined())
		ul_sbuf_printf(&b, ", %u in the baseline (not counted)", ul_baselined());
	ul_sbuf_printf(&b, "\n");
	if (carried.images)
		ul_sbuf_printf(&b, "  counted with %u report%s and %u suppressed from %u earlier image%s of this "
			       "process (before exec)\n", carried.nreports, carried.nreports == 1 ? "" : "s",
			       carried.nsuppressed, carried.images, carried.images == 1 ? "" : "s");
	ul_sbuf_printf(&b, "  lock classes: %u, dependencies: %u, chains: %lu, lock objects: %lu\n",
		       atomic_load(&ul_rt.nclasses), ul_graph_nedges(),
		       (unsigned long)atomic_load(&ul_rt.chains.count), (unsigned long)atomic_load(&ul_rt.locks.count));
	if (nsup) {
		ul_sbuf_puts(&b, "  suppressed by rule:\n");
		ul_suppress_summary(&b);
	}
	static const struct { int id; const char *label; } files[] = {
		{ UL_OUT_JSON, "JSON" }, { UL_OUT_SARIF, "SARIF" }, { UL_OUT_LOG, "log" },
		{ UL_OUT_DOT, "graph" }, { UL_OUT_GJSON, "graph" },
	};
	for (size_t i = 0; i < UL_ARRAY_SIZE(files); i++)
		if (ul_out_enabled(files[i].id))
			ul_sbuf_printf(&b, "  %s: %s\n", files[i].label, ul_out_path(files[i].id));
	if (ul_rt.opt.graph_db && *ul_rt.opt.graph_db)
		ul_sbuf_printf(&b, "  graph-db: %s, %u dependencies from earlier runs\n", ul_rt.opt.graph_db,
			       ul_history_nedges());
	char lost_text[1024];
	ul_out_lost_summary(lost_text, sizeof lost_text);
	ul_sbuf_puts(&b, lost_text);
	ul_sbuf_end(&b);
	ul_out_text(b.p, b.len);
	if (b.p != first)
		ul_unmap(b.p, b.cap);
	ul_mutex_unlock(&summary_lock);
}
