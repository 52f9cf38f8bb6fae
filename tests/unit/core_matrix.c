/* The kernel's selftest matrix, run in-process against the validator core
 * alone: events go in through the core's API (ul_validate_acquire,
 * ul_acquired, ul_release) and findings come out through a test sink that
 * stands in for the report layer and records each finding's kind. No
 * LD_PRELOAD, no symbolizer, no report text: the core's semantics only,
 * which also shows the core links on its own (src/core, src/os, options).
 *
 * Each pattern lists events "lock X, lock Y, unlock Y, unlock X". Every
 * permutation of its events runs from an empty graph (a forked child) and
 * must give the pattern's verdict: AA is recursive, the rest circular. The
 * read-lock rows follow lockdep's selftests too (recursive readers). The
 * wait cases drive core/event.c the same way: waits and productions of an
 * event by two threads, and the rules that keep them quiet. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/core/core.h"

/* ---- the test sink: every finding the core emits, by kind ---- */
static int found[UL_R_NKINDS];

static bool sink(const struct ul_finding *f)
{
	if ((unsigned)f->report_kind < UL_R_NKINDS)
		found[f->report_kind]++;
	return true;
}

static void name(uintptr_t addr, char *buf, size_t len)
{
	snprintf(buf, len, "%lx", (unsigned long)addr);
}

/* ---- driving the core ---- */
static char lock_obj[4][64]; /* static storage: each lock is its own class */
#define A 0
#define B 1
#define C 2
#define D 3

static void core_init(void)
{
	ul_hooks = (struct ul_core_hooks){ .finding = sink, .data_name = name, .site_name = name };
	ul_options_defaults(&ul_rt.opt);
	ul_rt.policy.max_classes = (uint32_t)ul_rt.opt.max_classes;
	ul_htab_init(&ul_rt.locks, 1024, 1u << 20);
	ul_htab_init(&ul_rt.chains, 256, 0);
	ul_htab_init(&ul_rt.edges, 256, 0);
	ul_htab_init(&ul_rt.classkeys, 64, 0);
	ul_htab_init(&ul_rt.stacks, 64, 0);
	ul_htab_init(&ul_rt.dedup, 16, 0);
	ul_htab_init(&ul_rt.lockpages, 256, 0);
	/* the class table maps its chunks on first use */
	ul_static_ranges_init();
	atomic_store(&ul_rt.enabled, true);
}

static void take(struct ul_thread *t, int l, uint8_t mode)
{
	struct ul_acquire a = { .lock = lock_obj[l], .ip = (uintptr_t)__builtin_return_address(0),
				.kind = mode == UL_WRITE ? UL_KIND_MUTEX : UL_KIND_RWLOCK, .mode = mode,
				.subclass = 0xff, .mutex_type = UL_MUTEX_NORMAL };
	if (ul_validate_acquire(t, &a))
		ul_acquired(t, &a);
}

static void drop(struct ul_thread *t, int l)
{
	ul_release(t, lock_obj[l], 0, true);
}

struct ev {
	int x, y;
	uint8_t mx, my; /* modes */
};

/* One order of the events in a fresh core (a forked child); returns the
 * child's findings packed as circular*100 + recursive. */
static int run_order(const struct ev *evs, const int *order, int n)
{
	pid_t pid = fork();
	if (pid == 0) {
		core_init();
		struct ul_thread *t = ul_thread_get();
		for (int i = 0; i < n; i++) {
			const struct ev *e = &evs[order[i]];
			take(t, e->x, e->mx);
			take(t, e->y, e->my);
			drop(t, e->y);
			drop(t, e->x);
		}
		_exit(found[UL_R_CIRCULAR] * 10 + found[UL_R_RECURSIVE] + 100 * found[UL_R_BAD_UNLOCK]);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int passed, failed;

/* Heap's algorithm: every order must give 'want'. */
static void permute(const struct ev *evs, int *order, int k, int n, int want, const char *name, int *bad)
{
	if (k == 1) {
		int got = run_order(evs, order, n);
		if (got != want && !(*bad)++)
			printf("FAIL core_matrix %s: findings %d, want %d\n", name, got, want);
		return;
	}
	for (int i = 0; i < k; i++) {
		permute(evs, order, k - 1, n, want, name, bad);
		int j = (k % 2) ? 0 : i;
		int x = order[j];
		order[j] = order[k - 1];
		order[k - 1] = x;
	}
}

static void pattern(const char *name, const struct ev *evs, int n, int want)
{
	int order[8], bad = 0;
	for (int i = 0; i < n; i++)
		order[i] = i;
	permute(evs, order, n, n, want, name, &bad);
	if (bad) {
		failed++;
	} else {
		passed++;
		printf("PASS core_matrix %s\n", name);
	}
}

#define W UL_WRITE
#define R UL_RREAD

/* ---- waits and events (core/event.c) ---- */
static char event_obj[64];

static struct ul_thread *other_thread(void)
{
	static struct ul_thread t2;
	t2.held = t2.inline_held;
	t2.cap = 48;
	t2.tid = 2;
	return &t2;
}

/* Run one event case in a fresh core; returns wait * 10 + circular. */
static int run_event(void (*body)(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev))
{
	pid_t pid = fork();
	if (pid == 0) {
		core_init();
		struct ul_thread *t1 = ul_thread_get();
		uint32_t ev = ul_event_class(event_obj, UL_KIND_COND, 1);
		body(t1, other_thread(), ev);
		_exit(found[UL_R_WAIT] * 10 + found[UL_R_CIRCULAR]);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* t1 waits holding A; t2 takes A, then produces. */
static void waiter_holds_producer_needs(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
	ul_event_window_reset(t2);
	take(t2, A, UL_WRITE);
	drop(t2, A);
	ul_event_produce(t2, ev, 1, 0, true);
}

/* The same two halves in the other order. */
static void producer_first(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	take(t2, A, UL_WRITE);
	drop(t2, A);
	ul_event_produce(t2, ev, 1, 0, true);
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
}

/* The producer took A before its own last wait: not on its way. */
static void lock_before_producers_wait(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	take(t2, A, UL_WRITE);
	drop(t2, A);
	ul_event_wait(t2, 0, 1, 0); /* a wait on something else */
	ul_event_produce(t2, ev, 1, 0, true);
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
}

/* A barrier arrival holding A: produce (held locks excluded), then wait. */
static void barrier_own_lock(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	(void)t2;
	take(t1, A, UL_WRITE);
	ul_event_produce(t1, ev, 1, 0, false);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
}

/* A timed wait: an edge only under the wait_timed policy. */
static void timed_wait(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, UL_EVW_TIMED);
	drop(t1, A);
	take(t2, A, UL_WRITE);
	drop(t2, A);
	ul_event_produce(t2, ev, 1, 0, true);
}

static void timed_wait_counted(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	ul_rt.policy.wait_timed = true;
	timed_wait(t1, t2, ev);
}

/* The condvar's own mutex (skip_class) is never a dependency. */
static void own_mutex_skipped(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	struct ul_lock l;
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
	take(t2, A, UL_WRITE);
	ul_event_produce(t2, ev, 1, ul_lock_get(lock_obj[A], &l) ? l.class_id : 0, true);
	drop(t2, A);
}

/* A -> ev -> B, then B -> A closes it by a lock order: kind wait. */
static void closed_by_lock(struct ul_thread *t1, struct ul_thread *t2, uint32_t ev)
{
	take(t1, A, UL_WRITE);
	ul_event_wait(t1, ev, 1, 0);
	drop(t1, A);
	take(t2, B, UL_WRITE);
	drop(t2, B);
	ul_event_produce(t2, ev, 1, 0, true);
	take(t1, B, UL_WRITE);
	take(t1, A, UL_WRITE);
	drop(t1, A);
	drop(t1, B);
}

static void event_case(const char *name, void (*body)(struct ul_thread *, struct ul_thread *, uint32_t), int want)
{
	int got = run_event(body);
	if (got == want) {
		passed++;
		printf("PASS core_matrix %s\n", name);
	} else {
		failed++;
		printf("FAIL core_matrix %s: findings %d, want %d\n", name, got, want);
	}
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* findings: circular * 10 + recursive */
	pattern("AA", (struct ev[]){ { A, A, W, W } }, 1, 1);
	pattern("ABBA", (struct ev[]){ { A, B, W, W }, { B, A, W, W } }, 2, 10);
	pattern("ABBCCA", (struct ev[]){ { A, B, W, W }, { B, C, W, W }, { C, A, W, W } }, 3, 10);
	pattern("ABCABC", (struct ev[]){ { A, B, W, W }, { C, A, W, W }, { B, C, W, W } }, 3, 10);
	pattern("ABBCCDDA", (struct ev[]){ { A, B, W, W }, { B, C, W, W }, { C, D, W, W }, { D, A, W, W } }, 4, 10);
	pattern("ABCDBDDA", (struct ev[]){ { A, B, W, W }, { C, D, W, W }, { B, D, W, W }, { D, A, W, W } }, 4, 10);
	pattern("ABCDBCDA", (struct ev[]){ { A, B, W, W }, { C, D, W, W }, { B, C, W, W }, { D, A, W, W } }, 4, 10);
	/* a consistent order is silent */
	pattern("ABBC", (struct ev[]){ { A, B, W, W }, { B, C, W, W } }, 2, 0);
	/* read-recursion rows: two recursive readers never wait on each other */
	pattern("R1R2_R2R1", (struct ev[]){ { A, B, R, R }, { B, A, R, R } }, 2, 0);
	pattern("W1R2_W2R1", (struct ev[]){ { A, B, W, R }, { B, A, W, R } }, 2, 10);
	pattern("R1W2_R2W1", (struct ev[]){ { A, B, R, W }, { B, A, R, W } }, 2, 10);
	pattern("W1W2_W2W1", (struct ev[]){ { A, B, W, W }, { B, A, W, W } }, 2, 10);
	/* waits: findings wait * 10 + circular */
	event_case("wait_held_producer_needs", waiter_holds_producer_needs, 10);
	event_case("wait_producer_first", producer_first, 10);
	event_case("wait_lock_before_producers_wait", lock_before_producers_wait, 0);
	event_case("wait_barrier_own_lock", barrier_own_lock, 0);
	event_case("wait_timed_default", timed_wait, 0);
	event_case("wait_timed_counted", timed_wait_counted, 10);
	event_case("wait_own_mutex_skipped", own_mutex_skipped, 0);
	event_case("wait_closed_by_lock", closed_by_lock, 10);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
