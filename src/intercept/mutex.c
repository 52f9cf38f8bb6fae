#define _GNU_SOURCE
/* pthread_mutex_* */
#include "acquire.h"

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

static inline int mutex_call(void *lock, const struct ul_call *c)
{
	pthread_mutex_t *m = lock;
	switch (c->op) {
	case UL_OP_LOCK:
		return REAL(pthread_mutex_lock)(m);
	case UL_OP_TRY:
		return REAL(pthread_mutex_trylock)(m);
	case UL_OP_TIMED:
		return REAL(pthread_mutex_timedlock)(m, c->ts);
	default:
		/* glibc before 2.30 has no clocklock: block, unchecked */
		return HAVE_REAL(pthread_mutex_clocklock) ? REAL(pthread_mutex_clocklock)(m, c->clk, c->ts)
							  : REAL(pthread_mutex_lock)(m);
	}
}

static inline bool mutex_no_probe(const void *lock)
{
	return ul_mutex_no_probe(lock);
}

static const struct ul_lock_ops mutex_ops = {
	.kind = UL_KIND_MUTEX, .ok = 0, .ok_too = EOWNERDEAD, .busy = EBUSY, .timedout = ETIMEDOUT,
	.wait_clock = CLOCK_MONOTONIC, .call = mutex_call, .no_probe = mutex_no_probe,
};

static int mutex_acquire(pthread_mutex_t *m, uint8_t sub, uintptr_t ip, const struct ul_call *c)
{
	struct ul_acquire a = { .lock = m, .ip = ip, .mode = UL_WRITE, .subclass = sub,
				.flags = c->op == UL_OP_TRY ? UL_ACQ_TRY : 0, .mutex_type = ul_mutex_type(m) };
	return ul_acquire(&a, &mutex_ops, c);
}

int ul_mutex_lock_sub(pthread_mutex_t *m, unsigned sub, uintptr_t ip);
int ul_mutex_lock_sub(pthread_mutex_t *m, unsigned sub, uintptr_t ip)
{
	return mutex_acquire(m, (uint8_t)sub, ip, &(struct ul_call){ .op = UL_OP_LOCK, .mode = UL_WRITE });
}

/* Out of line with scalar arguments, so the fast path needs no room for
 * a struct ul_call. */
static __attribute__((noinline)) int mutex_lock_slow(pthread_mutex_t *m, uintptr_t ip)
{
	return mutex_acquire(m, 0xff, ip, &(struct ul_call){ .op = UL_OP_LOCK, .mode = UL_WRITE });
}

INTERCEPTOR(int, pthread_mutex_lock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (likely(t && ul_fast_check(t, m, UL_WRITE, 0, &f)))
		return ul_fast_lock(t, m, &f, UL_WRITE, UL_IP, &mutex_ops);
	return mutex_lock_slow(m, UL_IP);
}

INTERCEPTOR(int, pthread_mutex_trylock, (pthread_mutex_t *m))
{
	return mutex_acquire(m, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TRY, .mode = UL_WRITE });
}

/* Timed locks are ordered like blocking ones. */
INTERCEPTOR(int, pthread_mutex_timedlock, (pthread_mutex_t *m, const struct timespec *ts))
{
	return mutex_acquire(m, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TIMED, .mode = UL_WRITE, .ts = ts });
}

INTERCEPTOR(int, pthread_mutex_clocklock, (pthread_mutex_t *m, clockid_t clk, const struct timespec *ts))
{
	return mutex_acquire(m, 0xff, UL_IP,
			     &(struct ul_call){ .op = UL_OP_CLOCK, .mode = UL_WRITE, .clk = clk, .ts = ts });
}

/* Out of line: the fast path keeps no frame. */
static __attribute__((noinline)) int mutex_unlock_slow(pthread_mutex_t *m, uintptr_t ip)
{
	ul_unlock_event(m, UL_KIND_MUTEX, m->__data.__lock == 0, ip);
	return REAL(pthread_mutex_unlock)(m);
}

INTERCEPTOR(int, pthread_mutex_unlock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	if (likely(t && ul_fast_release(t, m)))
		return REAL(pthread_mutex_unlock)(m);
	return mutex_unlock_slow(m, UL_IP);
}
