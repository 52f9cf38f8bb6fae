/* Runtime lifecycle: options, tables, start-up, exit and fork. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <ucontext.h>
#include <unistd.h>

#include "intercept/interpose.h"
#include "report/history.h"
#include "report/output.h"
#include "report/report.h"
#include "report/report_buf.h"
#include "report/symbols.h"
#include "core/lockstat.h"

_Atomic int ul_init_state;
static pthread_key_t thread_key;

void ul_graph_export(void);
void ul_lockstat_report(void);
void ul_html_data_export(void);
static void thread_key_set(struct ul_thread *t);
void ul_signals_init(void);
void ul_thread_key_init(pthread_key_t key);
void ul_thread_exit_event(struct ul_thread *t);

/* The deadlock policy, on the thread whose finding became the report:
 * every thread's held locks, then abort or exit if asked. */
static void deadlock_action(void)
{
	ul_report_show_all_held(-1);
	const char *a = ul_rt.opt.deadlock_action;
	if (!a || !*a || !strcmp(a, "report"))
		return;
	ul_report_exit_summary();
	if (!strcmp(a, "abort"))
		abort();
	if (!strncmp(a, "exit:", 5))
		_exit(atoi(a + 5));
}

/* Making a report (names, stacks, the symbolizer) needs tens of KB of
 * stack. A program's thread may have far less (PTHREAD_STACK_MIN is 16 KB),
 * or be on a small alternate signal stack: then the report is made on a
 * stack of the runtime's own. */
#define REPORT_STACK_NEED (256u << 10)
#define REPORT_STACK_SIZE (1u << 20)

struct sink_call {
	const struct ul_finding *f;
	bool reported;
};
static __thread struct sink_call *sink_call UL_TLS;

static void report_there(void)
{
	sink_call->reported = ul_report_finding(sink_call->f);
}

static bool stack_room(const struct ul_thread *t)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	return t && t->stack_hi > 1 && here >= t->stack_lo && here < t->stack_hi &&
	       here - t->stack_lo >= REPORT_STACK_NEED;
}

static bool report(const struct ul_finding *f)
{
	if (stack_room(f->t))
		return ul_report_finding(f);
	void *stack = ul_map(REPORT_STACK_SIZE);
	if (!stack)
		return ul_report_finding(f); /* no memory: try where we are */
	ucontext_t here, there;
	struct sink_call c = { f, false };
	if (getcontext(&there)) {
		ul_unmap(stack, REPORT_STACK_SIZE);
		return ul_report_finding(f);
	}
	there.uc_stack.ss_sp = stack;
	there.uc_stack.ss_size = REPORT_STACK_SIZE;
	there.uc_link = &here;
	makecontext(&there, report_there, 0);
	sink_call = &c;
	swapcontext(&here, &there);
	ul_unmap(stack, REPORT_STACK_SIZE);
	return c.reported;
}

/* The core's sink. */
static bool on_finding(const struct ul_finding *f)
{
	bool reported = report(f);
	if (f->report_kind == UL_R_DEADLOCK && reported)
		deadlock_action();
	return reported;
}

static bool symbol(uintptr_t addr, struct ul_core_sym *out)
{
	struct ul_sym s;
	if (ul_sym_lookup(addr, &s) || !s.name)
		return false;
	snprintf(out->name, sizeof out->name, "%s", s.name);
	out->start = addr - s.off;
	out->size = s.size;
	return true;
}

static bool lock_busy(const void *lock, uint8_t kind)
{
	switch (kind) {
	case UL_KIND_MUTEX:
		return ((const pthread_mutex_t *)lock)->__data.__lock != 0;
	case UL_KIND_RWLOCK:
		return !ul_rwlock_free(lock);
	case UL_KIND_SPIN:
		return !ul_spin_free(lock);
	default:
		return false;
	}
}

static void install_hooks(void)
{
	ul_hooks = (struct ul_core_hooks){
		.finding = on_finding,
		.limit = ul_report_limit,
		.data_name = ul_sym_data_name,
		.site_name = ul_sym_site_name,
		.symbol = symbol,
		.demangle = ul_sym_demangle,
		.prefetch = ul_sym_prefetch,
		.site_class = ul_history_site_class,
		.thread_started = thread_key_set,
		.lock_busy = lock_busy,
	};
}

static void read_options(void)
{
	ul_options_defaults(&ul_rt.opt);
	const char *env = ul_getenv("ULOCKDEP_OPTIONS");
	if (!env || !*env)
		return;
	size_t n = strlen(env) + 1;
	char *copy = ul_alloc(n);
	if (!copy)
		return;
	memcpy(copy, env, n);
	char err[1200];
	if (ul_options_parse(&ul_rt.opt, copy, err, sizeof err)) {
		char msg[1300];
		int m = snprintf(msg, sizeof msg, "ulockdep: ULOCKDEP_OPTIONS: %s\n", err);
		ul_write_all(2, msg, (size_t)m);
		_exit(1);
	}
}

static void read_progname(void)
{
	int fd = ul_open_read("/proc/self/comm");
	ssize_t n = fd >= 0 ? ul_read(fd, ul_rt.progname, sizeof ul_rt.progname - 1) : -1;
	if (fd >= 0)
		ul_close(fd);
	ul_rt.progname[n > 0 ? n : 0] = 0;
	char *nl = strchr(ul_rt.progname, '\n');
	if (nl)
		*nl = 0;
}

/* fork: the child continues with the forking thread's state only. */
static void fork_prepare(void)
{
	int e = errno;
	struct ul_thread *t = ul_self;
	if (t)
		t->busy++;
	if (atomic_load(&ul_rt.graph_lock.owner) != ul_gettid())
		ul_mutex_lock(&ul_rt.graph_lock);
	ul_threads_lock();
	errno = e;
}

static void fork_parent(void)
{
	ul_threads_unlock();
	if (atomic_load(&ul_rt.graph_lock.owner) == ul_gettid())
		ul_mutex_unlock(&ul_rt.graph_lock);
	struct ul_thread *t = ul_self;
	if (t)
		t->busy--;
}

/* A process-shared lock held at fork stays the parent's: the child shares
 * the object, not its ownership, so it must not count it as held (a later
 * lock of it in the child is not recursion). Private locks are copies the
 * child does hold. */
static void drop_shared_held(struct ul_thread *t)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = d; i-- > 0;) {
		const struct ul_held *h = &t->held[i];
		struct ul_class *c = h->lock ? ul_class_get(h->class_id) : NULL;
		if (!c)
			continue;
		bool shared = c->kind == UL_KIND_MUTEX ? ul_mutex_pshared(h->lock)
			    : c->kind == UL_KIND_RWLOCK ? ul_rwlock_pshared(h->lock) : false;
		if (shared)
			ul_release(t, h->lock, h->ip, false);
	}
}

static void fork_child(void)
{
	/* Only this thread survives: every runtime lock another thread held
	 * at fork is reset, and the child counts only its own reports. */
	ul_tid_forget();
	ul_mutexes_reset_all(); /* the one registry: static locks, tables, graph */
	ul_report_after_fork();
	ul_outputs_after_fork();
	ul_sarif_after_fork();
	atomic_store(&ul_rt.nreports, 0);
	atomic_store(&ul_rt.nsuppressed, 0);
	for (size_t k = 0; k < UL_ARRAY_SIZE(ul_rt.report_kinds); k++)
		atomic_store(&ul_rt.report_kinds[k], 0);
	ul_rt.pid = ul_getpid();
	ul_obj_salt_renew(); /* the parent's lock tags mean nothing here */
	struct ul_thread *t = ul_self;
	ul_threads_after_fork_child(t);
	if (t) {
		drop_shared_held(t);
		uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
		for (uint32_t i = 0; i < d; i++)
			t->held[i].flags |= UL_HELD_FORKED;
	}
	ul_lstat_after_fork(t);
	if (t)
		t->busy--;
}

static void thread_key_set(struct ul_thread *t)
{
	if (atomic_load(&ul_init_state) == 2)
		pthread_setspecific(thread_key, t);
}

/* Thread exit. glibc runs C++ thread_local destructors first, then the
 * pthread_key destructors in rounds. Ours re-arms itself until the last
 * round, so the program's own destructors (which may lock) are still
 * validated, and the held-lock check sees what they released. */
static void thread_key_dtor(void *p)
{
	struct ul_thread *t = p;
	if (!t || t != ul_self)
		return;
	if (++t->exit_rounds < PTHREAD_DESTRUCTOR_ITERATIONS && pthread_setspecific(thread_key, t) == 0)
		return;
	if (t->started && !t->busy && !t->off && atomic_load(&ul_rt.enabled)) {
		t->busy = 1;
		ul_thread_exit_event(t); /* after the program's TLS destructors */
		ul_check_exit(t, t->exit_ip);
		t->busy = 0;
	}
	ul_thread_exit(t);
}

static void table_full(struct ul_htab *h, bool oom)
{
	char msg[300];
	snprintf(msg, sizeof msg, "%s for %s", oom ? "out of memory" : "limit reached", h->what);
	ul_report_notice(msg);
}

/* Every table has a cap (or is bounded by one that has) and says once
 * what stops working when it is full or out of memory. */
static void init_tables(void)
{
	ul_mutex_register(&ul_rt.graph_lock);
	ul_htab_full_hook = table_full;
	uint64_t max_locks = (uint64_t)ul_rt.opt.max_locks;
	ul_htab_init(&ul_rt.locks, 1024, max_locks); /* its notice: UL_LIMIT_LOCKS */
	ul_htab_init(&ul_rt.chains, 256, 1u << 20);  /* its notice: UL_LIMIT_CHAINS */
	ul_htab_init(&ul_rt.edges, 256, 1u << 23); /* the graph's edge limit */
	ul_rt.edges.what = "the dependency table: new lock orders are not recorded";
	ul_htab_init(&ul_rt.classkeys, 64, (uint64_t)ul_rt.opt.max_classes);
	ul_rt.classkeys.what = "class keys: locks of new classes are not checked";
	ul_htab_init(&ul_rt.stacks, 64, 1u << 20); /* the stack depot's limit */
	ul_rt.stacks.what = "the stack table: repeated stacks are stored again";
	ul_htab_init(&ul_rt.dedup, 16, 1u << 20);
	ul_rt.dedup.what = "distinct reports (1048576): new problems are not reported";
	ul_htab_init(&ul_rt.lockpages, 256, max_locks);
	ul_rt.lockpages.what = "pages holding locks: locks on new pages are not validated";
}

/* Whatever values arrive in the environment, the runtime works in range. */
static long clamp(long v, long lo, long hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void clamp_options(struct ul_options *o)
{
	o->max_classes = clamp(o->max_classes, 1, UL_MAX_CLASSES);
	o->max_locks = clamp(o->max_locks, 1, 1L << 30);
	o->deadlock_timeout_ms = clamp(o->deadlock_timeout_ms, 1, 1L << 30);
	o->exitcode = clamp(o->exitcode, 0, 255);
}

static const char *hex(const char *p, unsigned long *out)
{
	unsigned long v = 0;
	for (;; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
		if (d < 0)
			break;
		v = v << 4 | (unsigned long)d;
	}
	*out = v;
	return p;
}

/* The initial thread's stack from /proc/self/maps, read with plain system
 * calls: the runtime may start inside the program's allocator (jemalloc
 * initialising itself), where pthread_getattr_np's malloc would re-enter. */
static void main_stack(struct ul_thread *t)
{
	int fd = ul_open_read("/proc/self/maps");
	if (fd < 0)
		return;
	char buf[4096], line[512];
	size_t ll = 0;
	uintptr_t here = (uintptr_t)__builtin_frame_address(0), lo = 0, hi = 0;
	ssize_t n;
	while (!hi && (n = ul_read(fd, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < n && !hi; i++) {
			if (buf[i] != '\n') {
				if (ll < sizeof line - 1)
					line[ll++] = buf[i];
				continue;
			}
			line[ll] = 0;
			ll = 0;
			unsigned long a, b;
			const char *p = hex(line, &a);
			if (*p == '-' && (hex(p + 1, &b), strstr(line, "[stack]")) && here >= a && here < b)
				lo = a, hi = b;
		}
	}
	ul_close(fd);
	if (!hi)
		return;
	/* the mapping grows down to the stack limit */
	struct rlimit rl;
	uintptr_t room = 1ul << 30;
	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < room)
		room = rl.rlim_cur;
	ul_thread_set_stack(t, hi - room < lo ? hi - room : lo, hi);
}

/* The launcher put the sanitizer runtime an ASan-built program needs
 * ahead of ours in LD_PRELOAD (UL_ADDED_PRELOAD_ENV names it). Its children
 * (a shell, sort) are not built with ASan: the entry goes, edited in place
 * (no allocation this early), as it would be without ulockdep. */
static void drop_added_preload(void)
{
	extern char **environ;
	const char *added = ul_getenv(UL_ADDED_PRELOAD_ENV);
	size_t n = added ? strlen(added) : 0;
	if (!n || !environ)
		return;
	for (char **e = environ; *e; e++)
		if (!strncmp(*e, "LD_PRELOAD=", 11) && !strncmp(*e + 11, added, n) && (*e)[11 + n] == ':') {
			char *v = *e + 11;
			memmove(v, v + n + 1, strlen(v + n + 1) + 1);
			break;
		}
}

void ul_runtime_init(void)
{
	int expect = 0;
	if (!atomic_compare_exchange_strong(&ul_init_state, &expect, 1))
		return; /* done, or running (bootstrap calls pass through) */
	int e = errno;
	ul_resolve_reals();
	install_hooks();
	read_options();
	drop_added_preload();
	clamp_options(&ul_rt.opt);
	ul_rt.policy = (struct ul_policy){ .max_classes = (uint32_t)ul_rt.opt.max_classes,
					   .init_wrappers = ul_rt.opt.init_wrappers,
					   .class_depth = (uint32_t)ul_rt.opt.class_depth,
					   .wait_timed = ul_rt.opt.wait_timed,
					   .join_roles = ul_rt.opt.join_roles };
	if (ul_rt.opt.no_validate) {
		ul_rt.opt.deadlock_detect = false;
		ul_rt.opt.wait_check = false;
	}
	ul_rt.policy.no_validate = ul_rt.opt.no_validate;
	ul_rt.policy.deadlock_detect = ul_rt.opt.deadlock_detect;
	ul_lstat_init(ul_rt.opt.lock_stat || (ul_rt.opt.html_dir && *ul_rt.opt.html_dir));
	read_progname();
	ul_rt.pid = ul_getpid();
	ul_obj_salt_renew();
	ul_outputs_init();
	init_tables();
	ul_static_ranges_init();
	ul_stack_init();
	ul_unwind_init();
	ul_sym_init();
	ul_report_init();
	ul_history_init();
	struct ul_thread *t = ul_thread_get();
	if (t) {
		main_stack(t);
		sigset_t cur;
		REAL(pthread_sigmask)(SIG_BLOCK, NULL, &cur);
		memcpy(&t->sig_blocked, &cur, sizeof t->sig_blocked);
		ul_thread_mask_changed(t);
	}
	pthread_key_create(&thread_key, thread_key_dtor);
	ul_thread_key_init(thread_key);
	if (t)
		pthread_setspecific(thread_key, t);
	pthread_atfork(fork_prepare, fork_parent, fork_child);
	ul_signals_init();
	atomic_store(&ul_rt.enabled, true);
	atomic_store(&ul_init_state, 2);
	errno = e;
}

/* Early, so locks taken by other libraries' constructors are seen. A static
 * binary registers its unwind tables in a default-priority constructor,
 * which must run first there. */
#ifdef UL_WRAP_MODE
__attribute__((constructor)) static void ul_ctor(void)
#else
__attribute__((constructor(101))) static void ul_ctor(void)
#endif
{
	ul_runtime_init();
}

__attribute__((destructor(101))) static void ul_dtor(void)
{
	if (atomic_load(&ul_init_state) != 2)
		return;
	int e = errno;
	/* exit() ends every thread at once: nothing can wait on a lock held
	 * now (servers keep a global lock to the end by design). Thread exits
	 * are always checked; this one only on request. */
	struct ul_thread *t = ul_self;
	if (ul_rt.opt.held_at_process_exit && t && !t->busy && !t->off) {
		t->busy = 1;
		ul_check_exit(t, 0);
		t->busy = 0;
	}
	ul_graph_export();
	ul_history_exit();
	ul_sarif_write(true);
	ul_lockstat_report();
	ul_html_data_export();
	ul_report_exit_summary();
	ul_outputs_exit();
	atomic_store(&ul_rt.enabled, false);
	/* the launcher applies --exitcode from the report counter; without it
	 * (bare LD_PRELOAD, or the program closed the counter) the runtime does;
	 * reports in the --baseline do not count */
	if (ul_rt.opt.exitcode && atomic_load(&ul_rt.nreports) > ul_baselined() && !ul_out_status_ok()) {
		fflush(NULL);
		_exit((int)ul_rt.opt.exitcode);
	}
	errno = e;
}
