#define _GNU_SOURCE
/* pthread_spin_* */
#include "acquire.h"

/* pthread_spinlock_t is a volatile int: its address is the identity. */
#define LK(s) ((const void *)(uintptr_t)(s))

INTERCEPTOR(int, pthread_spin_init, (pthread_spinlock_t *s, int pshared))
{
	if (!HAVE_REAL(pthread_spin_init))
		ul_resolve_reals();
	int r = REAL(pthread_spin_init)(s, pshared);
	if (r == 0) {
		int e = errno;
		ul_lock_init_event(LK(s), UL_KIND_SPIN, UL_MUTEX_NORMAL, false, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_spin_destroy, (pthread_spinlock_t *s))
{
	int e = errno;
	ul_lock_destroy_event(LK(s), UL_IP);
	errno = e;
	return REAL(pthread_spin_destroy)(s);
}

static inline int spin_call(void *lock, const struct ul_call *c)
{
	pthread_spinlock_t *s = lock;
	return c->op == UL_OP_TRY ? REAL(pthread_spin_trylock)(s) : REAL(pthread_spin_lock)(s);
}

/* Spinning is a trylock loop: waits are polled, and tracked the same. */
static const struct ul_lock_ops spin_ops = {
	.kind = UL_KIND_SPIN, .ok = 0, .ok_too = 0, .busy = EBUSY, .timedout = ETIMEDOUT, .spin = true,
	.call = spin_call,
};

static int spin_acquire(pthread_spinlock_t *s, enum ul_op op, uintptr_t ip)
{
	struct ul_acquire a = { .lock = LK(s), .ip = ip, .mode = UL_WRITE, .subclass = 0xff,
				.flags = op == UL_OP_TRY ? UL_ACQ_TRY : 0 };
	return ul_acquire(&a, &spin_ops, &(struct ul_call){ .op = op, .mode = UL_WRITE });
}

INTERCEPTOR(int, pthread_spin_lock, (pthread_spinlock_t *s))
{
	return spin_acquire(s, UL_OP_LOCK, UL_IP);
}

INTERCEPTOR(int, pthread_spin_trylock, (pthread_spinlock_t *s))
{
	return spin_acquire(s, UL_OP_TRY, UL_IP);
}

INTERCEPTOR(int, pthread_spin_unlock, (pthread_spinlock_t *s))
{
	ul_unlock_event(LK(s), UL_KIND_SPIN, *(volatile int *)s == 0, UL_IP);
	return REAL(pthread_spin_unlock)(s);
}
