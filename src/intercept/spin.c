#define _GNU_SOURCE
/* pthread_spin_*: spinning is a trylock loop, so waits are tracked the same. */
#include "interpose.h"

/* pthread_spinlock_t is a volatile int: its address is the identity. */
#define LK(s) ((const void *)(uintptr_t)(s))

INTERCEPTOR(int, pthread_spin_init, (pthread_spinlock_t *s, int pshared))
{
	if (!HAVE_REAL(pthread_spin_init))
		ul_resolve_reals();
	int r = REAL(pthread_spin_init)(s, pshared);
	if (r == 0) {
		int e = errno;
		ul_lock_init_event(LK(s), UL_KIND_SPIN, UL_TYPE_NORMAL, false, UL_IP);
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

static int spin_wait(struct ul_thread *t, pthread_spinlock_t *s)
{
	int r = REAL(pthread_spin_trylock)(s);
	if (r != EBUSY || !ul_wait_tracked())
		return r == EBUSY ? REAL(pthread_spin_lock)(s) : r;
	ul_wait_begin(t, LK(s), UL_WRITE);
	uint64_t next = ul_now_ns() + (uint64_t)ul_rt.opt.deadlock_timeout_ms * 1000000u;
	for (unsigned n = 1;; n++) {
		r = REAL(pthread_spin_trylock)(s);
		if (r != EBUSY)
			break;
		if ((n & 1023) == 0 && ul_now_ns() > next) {
			t->busy = 1;
			ul_wait_check(t);
			t->busy = 0;
			next = ul_now_ns() + (uint64_t)ul_wait_next_ms(t) * 1000000u;
		}
		__builtin_ia32_pause();
	}
	ul_wait_end(t);
	return r;
}

static int spin_acquire(pthread_spinlock_t *s, bool is_try, uintptr_t ip)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return is_try ? REAL(pthread_spin_trylock)(s) : REAL(pthread_spin_lock)(s);
	int e = errno;
	struct ul_acquire a = { .lock = LK(s), .ip = ip, .kind = UL_KIND_SPIN, .mode = UL_WRITE,
				.flags = is_try ? UL_ACQ_TRY : 0, .subclass = 0xff };
	ul_validate_acquire(t, &a);
	ul_leave(t);
	errno = e;
	int r = is_try ? REAL(pthread_spin_trylock)(s) : spin_wait(t, s);
	e = errno;
	if (r == 0) {
		t->busy = 1;
		ul_acquired(t, &a);
		ul_leave(t);
	}
	errno = e;
	return r;
}

INTERCEPTOR(int, pthread_spin_lock, (pthread_spinlock_t *s))
{
	return spin_acquire(s, false, UL_IP);
}

INTERCEPTOR(int, pthread_spin_trylock, (pthread_spinlock_t *s))
{
	return spin_acquire(s, true, UL_IP);
}

INTERCEPTOR(int, pthread_spin_unlock, (pthread_spinlock_t *s))
{
	int e = errno;
	ul_release_event_kind(LK(s), UL_KIND_SPIN, *(volatile int *)s == 0, UL_IP);
	errno = e;
	return REAL(pthread_spin_unlock)(s);
}
