#define _GNU_SOURCE
/* pthread_rwlock_*: reads of a default (reader-preferring) glibc rwlock are
 * recursive; reads of a PREFER_WRITER_NONRECURSIVE one are not. */
#include "../core/fastpath.h"
#include "../core/lockstat.h"
#include "interpose.h"

INTERCEPTOR(int, pthread_rwlock_init, (pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr))
{
	if (!HAVE_REAL(pthread_rwlock_init))
		ul_resolve_reals();
	int r = REAL(pthread_rwlock_init)(rw, attr);
	if (r == 0) {
		int e = errno;
		ul_lock_init_event(rw, UL_KIND_RWLOCK, UL_TYPE_NORMAL, ul_rwlock_writer_pref(rw), UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_rwlock_destroy, (pthread_rwlock_t *rw))
{
	int e = errno;
	ul_lock_destroy_event(rw, UL_IP);
	errno = e;
	return REAL(pthread_rwlock_destroy)(rw);
}

enum rw_op { RD, TRYRD, TIMEDRD, CLOCKRD, WR, TRYWR, TIMEDWR, CLOCKWR };

static int call(pthread_rwlock_t *rw, enum rw_op op, clockid_t clk, const struct timespec *ts)
{
	switch (op) {
	case RD: return REAL(pthread_rwlock_rdlock)(rw);
	case TRYRD: return REAL(pthread_rwlock_tryrdlock)(rw);
	case TIMEDRD: return REAL(pthread_rwlock_timedrdlock)(rw, ts);
	case CLOCKRD: return REAL(pthread_rwlock_clockrdlock)(rw, clk, ts);
	case WR: return REAL(pthread_rwlock_wrlock)(rw);
	case TRYWR: return REAL(pthread_rwlock_trywrlock)(rw);
	case TIMEDWR: return REAL(pthread_rwlock_timedwrlock)(rw, ts);
	default: return REAL(pthread_rwlock_clockwrlock)(rw, clk, ts);
	}
}

/* Blocking rd/wr with wait tracking, as for mutexes. */
static int rw_wait(struct ul_thread *t, pthread_rwlock_t *rw, bool write, uint8_t mode)
{
	if (!ul_wait_tracked() || !HAVE_REAL(pthread_rwlock_clockrdlock))
		return call(rw, write ? WR : RD, 0, NULL);
	int r = call(rw, write ? TRYWR : TRYRD, 0, NULL);
	if (r != EBUSY)
		return r;
	ul_wait_begin(t, rw, mode);
	struct timespec dl;
	ul_wait_deadline(&dl, CLOCK_MONOTONIC, ul_rt.opt.deadlock_timeout_ms);
	while ((r = call(rw, write ? CLOCKWR : CLOCKRD, CLOCK_MONOTONIC, &dl)) == ETIMEDOUT) {
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

static __attribute__((noinline)) int rw_acquire(pthread_rwlock_t *rw, enum rw_op op, uint8_t sub, uintptr_t ip, clockid_t clk,
		      const struct timespec *ts)
{
	/* --lock-stat: the cached-chain fast path, plus counting (lockstat.h) */
	struct ul_thread *st;
	struct ul_fast f;
	if (unlikely(ul_lstat_on) && (op == RD || op == WR) && sub == 0xff && (st = ul_lstat_fast_thread())) {
		uint8_t mode = op == WR ? UL_WRITE : ul_rwlock_writer_pref(rw) ? UL_READ : UL_RREAD;
		if (ul_fast_check(st, rw, mode, 0, &f)) {
			int r = call(rw, op == WR ? TRYWR : TRYRD, 0, NULL);
			if (r == EBUSY)
				r = rw_wait(st, rw, op == WR, mode);
			if (r == 0) {
				ul_fast_push(st, rw, &f, ip, mode, 0);
				ul_lstat_fast_acquired(st, rw, &f, mode, ip);
			}
			return r;
		}
	}
	struct ul_thread *t = ul_enter();
	if (!t)
		return call(rw, op, clk, ts);
	int e = errno;
	bool write = op >= WR;
	bool wp = ul_rwlock_writer_pref(rw);
	uint8_t mode = write ? UL_WRITE : wp ? UL_READ : UL_RREAD;
	bool is_try = op == TRYRD || op == TRYWR;
	struct ul_acquire a = { .lock = rw, .ip = ip, .kind = UL_KIND_RWLOCK, .mode = mode,
				.flags = is_try ? UL_ACQ_TRY : 0, .subclass = sub, .writer_pref = wp };
	ul_validate_acquire(t, &a);
	ul_leave(t);
	errno = e;
	int r = (op == RD || op == WR) ? rw_wait(t, rw, write, mode) : call(rw, op, clk, ts);
	e = errno;
	if (r == 0) {
		t->busy = 1;
		ul_acquired(t, &a);
		ul_leave(t);
	}
	errno = e;
	return r;
}

int ul_rwlock_lock_sub(pthread_rwlock_t *rw, bool write, unsigned sub, uintptr_t ip);
int ul_rwlock_lock_sub(pthread_rwlock_t *rw, bool write, unsigned sub, uintptr_t ip)
{
	return rw_acquire(rw, write ? WR : RD, (uint8_t)sub, ip, 0, NULL);
}

/* Blocking rd/wr: the cached-chain fast path, inline as for mutexes. */
#define RW_FAST(write, mode)                                                   \
	struct ul_thread *t = ul_fast_thread();                                \
	struct ul_fast f;                                                      \
	if (likely(t && ul_fast_check(t, rw, mode, 0, &f))) {                  \
		int r = (write) ? REAL(pthread_rwlock_trywrlock)(rw)           \
				: REAL(pthread_rwlock_tryrdlock)(rw);          \
		if (unlikely(r == EBUSY))                                      \
			r = rw_wait(t, rw, write, mode);                       \
		if (likely(r == 0))                                            \
			ul_fast_push(t, rw, &f, UL_IP, mode, 0);               \
		return r;                                                      \
	}

INTERCEPTOR(int, pthread_rwlock_rdlock, (pthread_rwlock_t *rw))
{
	RW_FAST(false, ul_rwlock_writer_pref(rw) ? UL_READ : UL_RREAD)
	return rw_acquire(rw, RD, 0xff, UL_IP, 0, NULL);
}

INTERCEPTOR(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *rw))
{
	return rw_acquire(rw, TRYRD, 0xff, UL_IP, 0, NULL);
}

INTERCEPTOR(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t *rw, const struct timespec *ts))
{
	return rw_acquire(rw, TIMEDRD, 0xff, UL_IP, 0, ts);
}

INTERCEPTOR(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t *rw, clockid_t clk, const struct timespec *ts))
{
	return rw_acquire(rw, CLOCKRD, 0xff, UL_IP, clk, ts);
}

INTERCEPTOR(int, pthread_rwlock_wrlock, (pthread_rwlock_t *rw))
{
	RW_FAST(true, UL_WRITE)
	return rw_acquire(rw, WR, 0xff, UL_IP, 0, NULL);
}

INTERCEPTOR(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *rw))
{
	return rw_acquire(rw, TRYWR, 0xff, UL_IP, 0, NULL);
}

INTERCEPTOR(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t *rw, const struct timespec *ts))
{
	return rw_acquire(rw, TIMEDWR, 0xff, UL_IP, 0, ts);
}

INTERCEPTOR(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t *rw, clockid_t clk, const struct timespec *ts))
{
	return rw_acquire(rw, CLOCKWR, 0xff, UL_IP, clk, ts);
}

/* Out of line: the fast path keeps no frame. */
static __attribute__((noinline)) int rwlock_unlock_slow(pthread_rwlock_t *rw, uintptr_t ip)
{
	if (unlikely(ul_lstat_on) && ul_lstat_fast_release(rw)) /* --lock-stat */
		return REAL(pthread_rwlock_unlock)(rw);
	int e = errno;
	ul_release_event_kind(rw, UL_KIND_RWLOCK, ul_rwlock_free(rw), ip);
	errno = e;
	return REAL(pthread_rwlock_unlock)(rw);
}

INTERCEPTOR(int, pthread_rwlock_unlock, (pthread_rwlock_t *rw))
{
	struct ul_thread *t = ul_fast_thread();
	if (likely(t && ul_fast_release(t, rw)))
		return REAL(pthread_rwlock_unlock)(rw);
	return rwlock_unlock_slow(rw, UL_IP);
}
