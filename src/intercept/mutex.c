#define _GNU_SOURCE
/* pthread_mutex_* */
#include "../core/fastpath.h"
#include "../core/lockstat.h"
#include "interpose.h"

INTERCEPTOR(int, pthread_mutex_init, (pthread_mutex_t *m, const pthread_mutexattr_t *attr))
{
	if (!HAVE_REAL(pthread_mutex_init))
		ul_resolve_reals();
	int r = REAL(pthread_mutex_init)(m, attr);
	if (r == 0) {
		int e = errno;
		ul_lock_init_event(m, UL_KIND_MUTEX, ul_mutex_type(m), false, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_mutex_destroy, (pthread_mutex_t *m))
{
	int e = errno;
	ul_lock_destroy_event(m, UL_IP);
	errno = e;
	return REAL(pthread_mutex_destroy)(m);
}

/* Block on m; a wait longer than the deadlock timeout checks the wait-for
 * graph, then keeps waiting. */
static int mutex_wait(struct ul_thread *t, pthread_mutex_t *m)
{
	if (!t || !ul_wait_tracked() || !HAVE_REAL(pthread_mutex_clocklock) || ul_mutex_no_probe(m))
		return REAL(pthread_mutex_lock)(m);
	int r = REAL(pthread_mutex_trylock)(m);
	if (r != EBUSY)
		return r;
	ul_wait_begin(t, m, UL_WRITE);
	struct timespec dl;
	ul_wait_deadline(&dl, CLOCK_MONOTONIC, ul_rt.opt.deadlock_timeout_ms);
	while ((r = REAL(pthread_mutex_clocklock)(m, CLOCK_MONOTONIC, &dl)) == ETIMEDOUT) {
		int e = errno;
		t->busy = 1;
		ul_wait_check(t);
		t->busy = 0;
		errno = e;
		ul_wait_deadline(&dl, CLOCK_MONOTONIC, ul_wait_next_ms(t));
	}
	ul_wait_end(t);
	return r;
}

static int mutex_acquire(pthread_mutex_t *m, uint8_t flags, uint8_t sub, uintptr_t ip,
			 int (*op)(pthread_mutex_t *, const void *), const void *arg)
{
	/* --lock-stat: the cached-chain fast path, plus counting (lockstat.h) */
	struct ul_thread *st;
	struct ul_fast f;
	if (unlikely(ul_lstat_on) && !op && sub == 0xff && (st = ul_lstat_fast_thread()) &&
	    ul_fast_check(st, m, UL_WRITE, 0, &f)) {
		int r = unlikely(ul_mutex_no_probe(m)) ? EBUSY : REAL(pthread_mutex_trylock)(m);
		if (r == EBUSY)
			r = mutex_wait(st, m);
		if (r == 0 || r == EOWNERDEAD) {
			ul_fast_push(st, m, &f, ip, UL_WRITE, 0);
			ul_lstat_fast_acquired(st, m, &f, UL_WRITE, ip);
		}
		return r;
	}
	struct ul_thread *t = ul_enter();
	if (!t)
		return op ? op(m, arg) : REAL(pthread_mutex_lock)(m);
	int e = errno;
	struct ul_acquire a = { .lock = m, .ip = ip, .kind = UL_KIND_MUTEX, .mode = UL_WRITE,
				.flags = flags, .subclass = sub, .type = ul_mutex_type(m) };
	ul_validate_acquire(t, &a);
	ul_leave(t);
	errno = e;
	int r = op ? op(m, arg) : mutex_wait(t, m);
	e = errno;
	if (r == 0 || r == EOWNERDEAD) {
		t->busy = 1;
		ul_acquired(t, &a);
		ul_leave(t);
	}
	errno = e;
	return r;
}

int ul_mutex_lock_sub(pthread_mutex_t *m, unsigned sub, uintptr_t ip);
int ul_mutex_lock_sub(pthread_mutex_t *m, unsigned sub, uintptr_t ip)
{
	return mutex_acquire(m, 0, (uint8_t)sub, ip, NULL, NULL);
}

INTERCEPTOR(int, pthread_mutex_lock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (likely(t && ul_fast_check(t, m, UL_WRITE, 0, &f))) {
		int r = unlikely(ul_mutex_no_probe(m)) ? EBUSY : REAL(pthread_mutex_trylock)(m);
		if (unlikely(r == EBUSY))
			r = mutex_wait(t, m);
		if (likely(r == 0 || r == EOWNERDEAD))
			ul_fast_push(t, m, &f, UL_IP, UL_WRITE, 0);
		return r;
	}
	return mutex_acquire(m, 0, 0xff, UL_IP, NULL, NULL);
}

static int op_try(pthread_mutex_t *m, const void *arg)
{
	(void)arg;
	return REAL(pthread_mutex_trylock)(m);
}

static int op_timed(pthread_mutex_t *m, const void *arg)
{
	return REAL(pthread_mutex_timedlock)(m, arg);
}

struct clock_arg {
	clockid_t clk;
	const struct timespec *ts;
};

static int op_clock(pthread_mutex_t *m, const void *arg)
{
	const struct clock_arg *c = arg;
	return REAL(pthread_mutex_clocklock)(m, c->clk, c->ts);
}

INTERCEPTOR(int, pthread_mutex_trylock, (pthread_mutex_t *m))
{
	return mutex_acquire(m, UL_ACQ_TRY, 0xff, UL_IP, op_try, NULL);
}

/* Timed locks are ordered like blocking ones. */
INTERCEPTOR(int, pthread_mutex_timedlock, (pthread_mutex_t *m, const struct timespec *ts))
{
	return mutex_acquire(m, 0, 0xff, UL_IP, op_timed, ts);
}

INTERCEPTOR(int, pthread_mutex_clocklock, (pthread_mutex_t *m, clockid_t clk, const struct timespec *ts))
{
	struct clock_arg c = { clk, ts };
	return mutex_acquire(m, 0, 0xff, UL_IP, op_clock, &c);
}

/* Out of line: the fast path keeps no frame. */
static __attribute__((noinline)) int mutex_unlock_slow(pthread_mutex_t *m, uintptr_t ip)
{
	if (unlikely(ul_lstat_on) && ul_lstat_fast_release(m)) /* --lock-stat */
		return REAL(pthread_mutex_unlock)(m);
	int e = errno;
	ul_release_event_kind(m, UL_KIND_MUTEX, m->__data.__lock == 0, ip);
	errno = e;
	return REAL(pthread_mutex_unlock)(m);
}

INTERCEPTOR(int, pthread_mutex_unlock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	if (likely(t && ul_fast_release(t, m)))
		return REAL(pthread_mutex_unlock)(m);
	return mutex_unlock_slow(m, UL_IP);
}
