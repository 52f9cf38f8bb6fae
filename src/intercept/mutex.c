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
	uint64_t *w = ul_mutex_tag(m); /* the bytes as glibc left them */
	if (w && (w[0] | w[1]))
		w[0] = w[1] = 0;
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

/* glibc's lock cannot fail or wait on it: a plain type (normal, recursive,
 * errorcheck, adaptive; not robust, PI, PP, process-shared or elided)
 * whose lock word reads free. Recursive and errorcheck owners clear
 * __owner before they free the word, so a free word is never this
 * thread's own. */
static inline __attribute__((always_inline)) bool mutex_free_plain(const pthread_mutex_t *m)
{
	return (unsigned)__atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED) <= 3 &&
	       __atomic_load_n(&m->__data.__lock, __ATOMIC_RELAXED) == 0;
}

/* Chain cached, lock busy (or of a kind glibc must see untouched): try,
 * then the watched wait, then record. */
static __attribute__((noinline)) int mutex_lock_busy(struct ul_thread *t, pthread_mutex_t *m, uint64_t key,
						     uint32_t class_id, uint32_t inst, uintptr_t ip)
{
	return ul_fast_lock(t, m, &(struct ul_fast){ key, class_id, inst }, UL_WRITE, ip, &mutex_ops);
}

/* Neither cache knows the lock: the shared table, which fills the lock
 * cache and writes the lock's tag words. */
static __attribute__((noinline)) int mutex_lock_fill(struct ul_thread *t, pthread_mutex_t *m, uint32_t epoch,
						     uintptr_t ip)
{
	struct ul_lcache *c = &t->lcache[ul_lcache_slot(m)];
	uint64_t *w = ul_mutex_tag(m);
	struct ul_fast f;
	if (!ul_fast_fill_tag(t, c, m, epoch, w, w ? w + 1 : NULL) || !ul_fast_chain(t, c, UL_WRITE, 0, &f))
		return mutex_lock_slow(m, ip);
	if (!mutex_free_plain(m))
		return mutex_lock_busy(t, m, f.key, f.class_id, f.inst, ip);
	ul_fast_push(t, m, &f, ip, UL_WRITE, 0);
	return REAL(pthread_mutex_lock)(m);
}

/* The lock cache missed: the lock's tag words (--lock-tags), which have
 * no transition memo. No call but tail calls, so no frame. */
static __attribute__((noinline)) int mutex_lock_tagged(struct ul_thread *t, pthread_mutex_t *m, uint32_t epoch,
						       uintptr_t ip)
{
	const uint64_t *w = ul_mutex_tag(m);
	struct ul_lcache tc;
	struct ul_fast f;
	if (!w || !ul_fast_tag(m, epoch, w, w + 1, &tc))
		return mutex_lock_fill(t, m, epoch, ip);
	if (!ul_fast_chain_m(t, &tc, UL_WRITE, 0, false, &f))
		return mutex_lock_slow(m, ip);
	if (!mutex_free_plain(m))
		return mutex_lock_busy(t, m, f.key, f.class_id, f.inst, ip);
	ul_fast_push(t, m, &f, ip, UL_WRITE, 0);
	return REAL(pthread_mutex_lock)(m);
}

/* The kernel's order: record, then take. When the chain is cached and the
 * lock word reads free, the held entry is pushed and glibc's lock is
 * tail-called: no frame, no trylock. A busy lock gets the trylock and the
 * watched wait (mutex_lock_busy). */
INTERCEPTOR(int, pthread_mutex_lock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (unlikely(!t))
		return mutex_lock_slow(m, UL_IP);
	uint32_t epoch;
	struct ul_lcache *c = ul_fast_lookup(t, m, &epoch);
	if (unlikely(!c))
		return mutex_lock_tagged(t, m, epoch, UL_IP);
	if (unlikely(!ul_fast_chain(t, c, UL_WRITE, 0, &f)))
		return mutex_lock_slow(m, UL_IP);
	if (unlikely(!mutex_free_plain(m)))
		return mutex_lock_busy(t, m, f.key, f.class_id, f.inst, UL_IP);
	ul_fast_push(t, m, &f, UL_IP, UL_WRITE, 0);
	return REAL(pthread_mutex_lock)(m);
}

static __attribute__((noinline)) int mutex_trylock_slow(pthread_mutex_t *m, uintptr_t ip)
{
	return mutex_acquire(m, 0xff, ip, &(struct ul_call){ .op = UL_OP_TRY, .mode = UL_WRITE });
}

/* A trylock on a cached chain (the trylock flag is in its key): try, and
 * record on success. */
INTERCEPTOR(int, pthread_mutex_trylock, (pthread_mutex_t *m))
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (unlikely(!t || !ul_fast_check(t, m, UL_WRITE, UL_ACQ_TRY, &f)))
		return mutex_trylock_slow(m, UL_IP);
	int r = REAL(pthread_mutex_trylock)(m);
	if (ul_acq_ok(&mutex_ops, r))
		ul_fast_push(t, m, &f, UL_IP, UL_WRITE, UL_ACQ_TRY);
	return r;
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
