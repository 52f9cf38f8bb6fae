#define _GNU_SOURCE
/* ISO C11 mtx_*: glibc implements them without the pthread symbols. */
#include "acquire.h"

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

static inline int c11_call(void *lock, const struct ul_call *c)
{
	mtx_t *m = lock;
	switch (c->op) {
	case UL_OP_LOCK:
		return REAL(mtx_lock)(m);
	case UL_OP_TRY:
		return REAL(mtx_trylock)(m);
	default: /* C11 has one timed call, on CLOCK_REALTIME */
		return REAL(mtx_timedlock)(m, c->ts);
	}
}

static const struct ul_lock_ops c11_ops = {
	.kind = UL_KIND_MUTEX, .ok = thrd_success, .ok_too = thrd_success, .busy = thrd_busy,
	.timedout = thrd_timedout, .wait_clock = CLOCK_REALTIME, .call = c11_call,
};

static int mtx_acquire(mtx_t *m, enum ul_op op, const struct timespec *ts, uintptr_t ip)
{
	struct ul_acquire a = { .lock = m, .ip = ip, .mode = UL_WRITE, .subclass = 0xff,
				.flags = op == UL_OP_TRY ? UL_ACQ_TRY : 0, .mutex_type = ul_mutex_type(pm(m)) };
	return ul_acquire(&a, &c11_ops, &(struct ul_call){ .op = op, .mode = UL_WRITE, .ts = ts });
}

INTERCEPTOR(int, mtx_lock, (mtx_t *m))
{
	return mtx_acquire(m, UL_OP_LOCK, NULL, UL_IP);
}

INTERCEPTOR(int, mtx_trylock, (mtx_t *m))
{
	return mtx_acquire(m, UL_OP_TRY, NULL, UL_IP);
}

INTERCEPTOR(int, mtx_timedlock, (mtx_t *__restrict m, const struct timespec *__restrict ts))
{
	return mtx_acquire(m, UL_OP_TIMED, ts, UL_IP);
}

INTERCEPTOR(int, mtx_unlock, (mtx_t *m))
{
	ul_unlock_event(m, UL_KIND_MUTEX, pm(m)->__data.__lock == 0, UL_IP);
	return REAL(mtx_unlock)(m);
}
