#define _GNU_SOURCE
/* ISO C11 mtx_*: glibc implements them without the pthread symbols. */
#include "interpose.h"

static inline pthread_mutex_t *pm(mtx_t *m)
{
	return (pthread_mutex_t *)m;
}

INTERCEPTOR(int, mtx_init, (mtx_t *m, int type))
{
	if (!HAVE_REAL(mtx_init))
		ul_resolve_reals();
	int r = REAL(mtx_init)(m, type);
	if (r == thrd_success) {
		int e = errno;
		ul_lock_init_event(m, UL_KIND_MUTEX, ul_mutex_type(pm(m)), false, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(void, mtx_destroy, (mtx_t *m))
{
	int e = errno;
	ul_lock_destroy_event(m, UL_IP);
	errno = e;
	REAL(mtx_destroy)(m);
}

static int mtx_wait(struct ul_thread *t, mtx_t *m)
{
	if (!ul_wait_tracked())
		return REAL(mtx_lock)(m);
	int r = REAL(mtx_trylock)(m);
	if (r != thrd_busy)
		return r;
	ul_wait_begin(t, m, UL_WRITE);
	struct timespec dl;
	ul_wait_deadline(&dl, CLOCK_REALTIME, ul_rt.opt.deadlock_timeout_ms);
	while ((r = REAL(mtx_timedlock)(m, &dl)) == thrd_timedout) {
		t->busy = 1;
		ul_wait_check(t);
		t->busy = 0;
		ul_wait_deadline(&dl, CLOCK_REALTIME, ul_wait_next_ms(t));
	}
	ul_wait_end(t);
	return r;
}

enum { LOCK, TRY, TIMED };

static int mtx_acquire(mtx_t *m, int op, const struct timespec *ts, uintptr_t ip)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return op == LOCK ? REAL(mtx_lock)(m) : op == TRY ? REAL(mtx_trylock)(m) : REAL(mtx_timedlock)(m, ts);
	int e = errno;
	struct ul_acquire a = { .lock = m, .ip = ip, .kind = UL_KIND_MUTEX, .mode = UL_WRITE,
				.flags = op == TRY ? UL_ACQ_TRY : 0, .subclass = 0xff,
				.type = ul_mutex_type(pm(m)) };
	ul_validate_acquire(t, &a);
	ul_leave(t);
	errno = e;
	int r = op == LOCK ? mtx_wait(t, m) : op == TRY ? REAL(mtx_trylock)(m) : REAL(mtx_timedlock)(m, ts);
	e = errno;
	if (r == thrd_success) {
		t->busy = 1;
		ul_acquired(t, &a);
		ul_leave(t);
	}
	errno = e;
	return r;
}

INTERCEPTOR(int, mtx_lock, (mtx_t *m))
{
	return mtx_acquire(m, LOCK, NULL, UL_IP);
}

INTERCEPTOR(int, mtx_trylock, (mtx_t *m))
{
	return mtx_acquire(m, TRY, NULL, UL_IP);
}

INTERCEPTOR(int, mtx_timedlock, (mtx_t *__restrict m, const struct timespec *__restrict ts))
{
	return mtx_acquire(m, TIMED, ts, UL_IP);
}

INTERCEPTOR(int, mtx_unlock, (mtx_t *m))
{
	int e = errno;
	ul_release_event_kind(m, UL_KIND_MUTEX, ((pthread_mutex_t *)(void *)m)->__data.__lock == 0, UL_IP);
	errno = e;
	return REAL(mtx_unlock)(m);
}
