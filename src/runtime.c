/* Runtime lifecycle: options, tables, start-up, exit and fork. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* The core's sink. */
static bool on_finding(const struct ul_finding *f)
{
	bool reported = ul_report_finding(f);
	if (f->kind == UL_R_DEADLOCK && reported)
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
	};
}

static void read_options(void)
{
	ul_options_defaults(&ul_rt.opt);
	const char *env = getenv("ULOCKDEP_OPTIONS");
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

static void fork_child(void)
{
	/* Only this thread survives: every runtime lock another thread held
	 * at fork is reset, and the child counts only its own reports. */
	ul_tid_forget();
	ul_mutex_reset(&ul_rt.graph_lock);
	ul_mutexes_reset_all();
	struct ul_htab *tabs[] = { &ul_rt.locks, &ul_rt.chains, &ul_rt.edges, &ul_rt.classkeys,
				   &ul_rt.stacks, &ul_rt.dedup, &ul_rt.lockpages };
	for (size_t i = 0; i < UL_ARRAY_SIZE(tabs); i++)
		ul_htab_unlock_all(tabs[i], true);
	ul_report_after_fork();
	ul_outputs_after_fork();
	ul_sarif_after_fork();
	atomic_store(&ul_rt.nreports, 0);
	atomic_store(&ul_rt.nsuppressed, 0);
	for (size_t k = 0; k < UL_ARRAY_SIZE(ul_rt.report_kinds); k++)
		atomic_store(&ul_rt.report_kinds[k], 0);
	ul_rt.pid = ul_getpid();
	struct ul_thread *t = ul_self;
	ul_threads_after_fork_child(t);
	ul_lstat_after_fork(t);
	if (t)
		t->busy--;
}

static void thread_key_set(struct ul_thread *t)
{
	if (atomic_load(&ul_init_state) == 2)
		pthread_setspecific(thread_key, t);
}

static void thread_key_dtor(void *p)
{
	struct ul_thread *t = p;
	if (t && t == ul_self)
		ul_thread_exit(t);
}

static void init_tables(void)
{
	ul_htab_init(&ul_rt.locks, 1024, (uint64_t)ul_rt.opt.max_locks);
	ul_htab_init(&ul_rt.chains, 256, 1u << 20);
	ul_htab_init(&ul_rt.edges, 256, 0);
	ul_htab_init(&ul_rt.classkeys, 64, 0);
	ul_htab_init(&ul_rt.stacks, 64, 0);
	ul_htab_init(&ul_rt.dedup, 16, 0);
	ul_htab_init(&ul_rt.lockpages, 256, 0);
	ul_rt.classes = ul_map((size_t)(ul_rt.opt.max_classes + 1) * sizeof *ul_rt.classes);
	/* class 1 is the catch-all used past the class limit */
	ul_class_for_key(UL_ORIGIN_KEY, 1, UL_KIND_MUTEX, "(class limit reached)");
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
	ul_rt.policy = (struct ul_policy){ .max_classes = (uint32_t)ul_rt.opt.max_classes,
					   .init_wrappers = ul_rt.opt.init_wrappers,
					   .class_depth = (uint32_t)ul_rt.opt.class_depth,
					   .wait_timed = ul_rt.opt.wait_timed };
	if (ul_rt.opt.no_validate) {
		ul_rt.opt.deadlock_detect = false;
		ul_rt.opt.wait_check = false;
	}
	ul_rt.policy.no_validate = ul_rt.opt.no_validate;
	ul_rt.policy.deadlock_detect = ul_rt.opt.deadlock_detect;
	ul_lstat_init(ul_rt.opt.lock_stat || (ul_rt.opt.html_dir && *ul_rt.opt.html_dir));
	read_progname();
	ul_rt.pid = ul_getpid();
	ul_outputs_init();
	init_tables();
	ul_static_ranges_init();
	ul_stack_init();
	ul_sym_init();
	ul_report_init();
	ul_history_init();
	struct ul_thread *t = ul_thread_get();
	if (t) {
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
