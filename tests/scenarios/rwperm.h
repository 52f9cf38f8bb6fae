/* The kernel selftest read-recursion matrix (lib/locking-selftest.c),
 * ported to pthread rwlocks.
 *
 * Every rwlock exists in two flavours:
 *   recrw_X/Y/Z  glibc default rwlock (reader-preferring): a reader is
 *                admitted while the lock is read-held even with a writer
 *                waiting, so its reads are RECURSIVE reads (kernel
 *                read_lock() on an rwlock_t: "R").
 *   nonrw_X/Y/Z  PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP: a new reader
 *                queues behind a waiting writer, so its reads are
 *                NON-RECURSIVE (kernel down_read() on an rwsem: "r").
 * mtx_Y is a plain mutex (the kernel selftest's spinlock L(Y1)).
 *
 * An event is a list of acquisitions (RD read, WR write, MX mutex), taken in
 * order and released in reverse, on a thread of its own. As in perm.h,
 * every permutation of the events runs in its own forked child, so each
 * permutation starts from an empty dependency graph and must reach the same
 * verdict: a scenario expecting a report expects one per permutation.
 *
 * The non-recursive rwlocks are initialised at run time, each by its own
 * pthread_rwlock_init() call (one init site each, so one class each, named
 * by the global's symbol). Call rwperm_init() first (rw_both_kinds() calls
 * it itself). */
#ifndef RWPERM_H
#define RWPERM_H
#include <errno.h>
#include <sys/wait.h>
#include <time.h>

#include "scenario.h"

pthread_rwlock_t recrw_X = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t recrw_Y = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t recrw_Z = PTHREAD_RWLOCK_INITIALIZER;
pthread_rwlock_t nonrw_X, nonrw_Y, nonrw_Z;
pthread_mutex_t mtx_Y = PTHREAD_MUTEX_INITIALIZER;

static void rwperm_init(void)
{
	pthread_rwlockattr_t a;
	CHECK(pthread_rwlockattr_init(&a) == 0);
	CHECK(pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) == 0);
	/* three call sites on purpose: one class per lock */
	CHECK(pthread_rwlock_init(&nonrw_X, &a) == 0);
	CHECK(pthread_rwlock_init(&nonrw_Y, &a) == 0);
	CHECK(pthread_rwlock_init(&nonrw_Z, &a) == 0);
	pthread_rwlockattr_destroy(&a);
	int kind = -1;
	CHECK(pthread_rwlockattr_init(&a) == 0);
	CHECK(pthread_rwlockattr_getkind_np(&a, &kind) == 0);
	CHECK(kind == PTHREAD_RWLOCK_PREFER_READER_NP); /* the default kind */
	pthread_rwlockattr_destroy(&a);
}

enum { END = 0, RD = 'r', WR = 'w', MX = 'm' };

struct rwstep {
	int op;
	void *lock;
};

#define MAXSTEPS 4
struct rwev {
	struct rwstep s[MAXSTEPS]; /* terminated by END (zero) */
};

static void step_lock(const struct rwstep *s)
{
	switch (s->op) {
	case RD:
		CHECK(pthread_rwlock_rdlock(s->lock) == 0);
		break;
	case WR:
		CHECK(pthread_rwlock_wrlock(s->lock) == 0);
		break;
	default:
		CHECK(pthread_mutex_lock(s->lock) == 0);
	}
}

static void step_unlock(const struct rwstep *s)
{
	if (s->op == MX)
		CHECK(pthread_mutex_unlock(s->lock) == 0);
	else
		CHECK(pthread_rwlock_unlock(s->lock) == 0);
}

/* One event: take every step in order, release in reverse. */
static void run_event(const struct rwev *e)
{
	int n = 0;
	while (n < MAXSTEPS && e->s[n].op != END)
		step_lock(&e->s[n++]);
	while (n-- > 0)
		step_unlock(&e->s[n]);
}

static void *rwevent_thread(void *arg)
{
	run_event(arg);
	return NULL;
}

static int rwperms_run;

/* Run the events in the given order in a fresh child, each event on its own
 * thread (threads never overlap in time: no real contention). */
static void rw_run_order(const struct rwev *evs, const int *order, int n)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < n; i++) {
			pthread_t t;
			if (pthread_create(&t, NULL, rwevent_thread, (void *)&evs[order[i]]) != 0)
				_exit(98);
			pthread_join(t, NULL);
		}
		_exit(0);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	rwperms_run++;
}

/* Heap's algorithm over the event order. */
static void rw_permute(const struct rwev *evs, int *order, int k, int n)
{
	if (k == 1) {
		rw_run_order(evs, order, n);
		return;
	}
	for (int i = 0; i < k; i++) {
		rw_permute(evs, order, k - 1, n);
		int j = (k % 2) ? 0 : i;
		int t = order[j];
		order[j] = order[k - 1];
		order[k - 1] = t;
	}
}

/* Every order of the n events, each in its own child; returns how many. */
static int rw_all_orders(const struct rwev *evs, int n)
{
	int order[6];
	CHECK(n > 0 && n <= 6);
	int before = rwperms_run;
	for (int i = 0; i < n; i++)
		order[i] = i;
	rw_permute(evs, order, n, n);
	return rwperms_run - before;
}

/* The events on the recursive rwlocks, then the same events on the
 * non-recursive ones: every order of each, n! children each. */
static void rw_both_kinds(const struct rwev *rec, const struct rwev *non, int n)
{
	int perms = 1;
	for (int i = 2; i <= n; i++)
		perms *= i;
	rwperm_init();
	CHECK(rw_all_orders(rec, n) == perms);
	CHECK(rw_all_orders(non, n) == perms);
}

/* The events exactly in the order given, in one child. */
static void rw_in_order(const struct rwev *evs, int n)
{
	int order[6];
	CHECK(n > 0 && n <= 6);
	for (int i = 0; i < n; i++)
		order[i] = i;
	rw_run_order(evs, order, n);
}

/* A deadline 'ms' from now on CLOCK_REALTIME, for the timed relocks of the
 * same-lock (AA) tests: the relock would block forever, so it must time out
 * after the validator has looked at it. */
static struct timespec rw_deadline(long ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += ms * 1000000L;
	while (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Step constructors. */
#define R_(l) { RD, &(l) }
#define W_(l) { WR, &(l) }
#define M_(l) { MX, &(l) }

#endif
