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

static __attribute__((noinline)) int spin_lock_slow(pthread_spinlock_t *s, uintptr_t ip)
{
	return spin_acquire(s, UL_OP_LOCK, ip);
}

/* Chain cached, lock busy: the polled, watched wait, then record. */
static __attribute__((noinline)) int spin_lock_busy(struct ul_thread *t, pthread_spinlock_t *s, uint64_t key,
						    uint32_t class_id, uint32_t inst, uintptr_t ip)
{
	return ul_fast_lock(t, (void *)(uintptr_t)s, &(struct ul_fast){ key, class_id, inst }, UL_WRITE, ip,
			    &spin_ops);
}

/* A miss in either cache: fill the lock cache, then as below. */
static __attribute__((noinline)) int spin_lock_miss(pthread_spinlock_t *s, uintptr_t ip)
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (!t || !ul_fast_check(t, LK(s), UL_WRITE, 0, &f))
		return spin_lock_slow(s, ip);
	if (!ul_spin_free(s))
		return spin_lock_busy(t, s, f.key, f.class_id, f.inst, ip);
	ul_fast_push(t, LK(s), &f, ip, UL_WRITE, 0);
	return REAL(pthread_spin_lock)(s);
}

/* Record, then take, as for mutexes (mutex.c): glibc's spin lock on a
 * free word takes it at once (or spins, if another thread won the
 * race). A spin lock has no spare bytes: no tag words. */
INTERCEPTOR(int, pthread_spin_lock, (pthread_spinlock_t *s))
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (unlikely(!t || !ul_fast_hit(t, LK(s), UL_WRITE, 0, &f)))
		return spin_lock_miss(s, UL_IP);
	if (unlikely(!ul_spin_free(s)))
		return spin_lock_busy(t, s, f.key, f.class_id, f.inst, UL_IP);
	ul_fast_push(t, LK(s), &f, UL_IP, UL_WRITE, 0);
	return REAL(pthread_spin_lock)(s);
}

INTERCEPTOR(int, pthread_spin_trylock, (pthread_spinlock_t *s))
{
	return spin_acquire(s, UL_OP_TRY, UL_IP);
}

static __attribute__((noinline)) int spin_unlock_slow(pthread_spinlock_t *s, uintptr_t ip)
{
	ul_unlock_event(LK(s), UL_KIND_SPIN, ul_spin_free(s), ip);
	return REAL(pthread_spin_unlock)(s);
}

INTERCEPTOR(int, pthread_spin_unlock, (pthread_spinlock_t *s))
{
	struct ul_thread *t = ul_fast_thread();
	if (likely(t && ul_fast_release(t, LK(s))))
		return REAL(pthread_spin_unlock)(s);
	return spin_unlock_slow(s, UL_IP);
}
