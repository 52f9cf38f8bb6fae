#define _GNU_SOURCE
/* pthread_rwlock_*: reads of a default (reader-preferring) glibc rwlock are
 * recursive; reads of a PREFER_WRITER_NONRECURSIVE one are not. */
#include "acquire.h"

INTERCEPTOR(int, pthread_rwlock_init, (pthread_rwlock_t *rw, const pthread_rwlockattr_t *attr))
{
	if (!HAVE_REAL(pthread_rwlock_init))
		ul_resolve_reals();
	int r = REAL(pthread_rwlock_init)(rw, attr);
	if (r == 0) {
		int e = errno;
		ul_lock_init_event(rw, UL_KIND_RWLOCK, UL_MUTEX_NORMAL, ul_rwlock_writer_pref(rw), UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_rwlock_destroy, (pthread_rwlock_t *rw))
{
	int e = errno;
	ul_lock_destroy_event(rw, UL_IP);
	uint64_t *w = ul_rwlock_tag(rw); /* the bytes as glibc left them */
	if (w && (w[0] | *UL_RWLOCK_TAG_W1(w)))
		w[0] = *UL_RWLOCK_TAG_W1(w) = 0;
	errno = e;
	return REAL(pthread_rwlock_destroy)(rw);
}

static inline int rw_call(void *lock, const struct ul_call *c)
{
	pthread_rwlock_t *rw = lock;
	bool wr = c->mode == UL_WRITE;
	switch (c->op) {
	case UL_OP_LOCK:
		return wr ? REAL(pthread_rwlock_wrlock)(rw) : REAL(pthread_rwlock_rdlock)(rw);
	case UL_OP_TRY:
		return wr ? REAL(pthread_rwlock_trywrlock)(rw) : REAL(pthread_rwlock_tryrdlock)(rw);
	case UL_OP_TIMED:
		return wr ? REAL(pthread_rwlock_timedwrlock)(rw, c->ts) : REAL(pthread_rwlock_timedrdlock)(rw, c->ts);
	default:
		if (!HAVE_REAL(pthread_rwlock_clockrdlock)) /* glibc before 2.30: block, unchecked */
			return wr ? REAL(pthread_rwlock_wrlock)(rw) : REAL(pthread_rwlock_rdlock)(rw);
		return wr ? REAL(pthread_rwlock_clockwrlock)(rw, c->clk, c->ts)
			  : REAL(pthread_rwlock_clockrdlock)(rw, c->clk, c->ts);
	}
}

static const struct ul_lock_ops rw_ops = {
	.kind = UL_KIND_RWLOCK, .ok = 0, .ok_too = 0, .busy = EBUSY, .timedout = ETIMEDOUT,
	.wait_clock = CLOCK_MONOTONIC, .call = rw_call,
};

/* A read of a default (reader-preferring) rwlock is recursive. */
static inline uint8_t read_mode(const pthread_rwlock_t *rw)
{
	return ul_rwlock_writer_pref(rw) ? UL_READ : UL_RREAD;
}

static __attribute__((noinline)) int rw_acquire(pthread_rwlock_t *rw, uint8_t sub, uintptr_t ip,
						const struct ul_call *c)
{
	struct ul_acquire a = { .lock = rw, .ip = ip, .mode = c->mode, .subclass = sub,
				.flags = c->op == UL_OP_TRY ? UL_ACQ_TRY : 0,
				.writer_pref = ul_rwlock_writer_pref(rw) };
	return ul_acquire(&a, &rw_ops, c);
}

int ul_rwlock_lock_sub(pthread_rwlock_t *rw, bool write, unsigned sub, uintptr_t ip);
int ul_rwlock_lock_sub(pthread_rwlock_t *rw, bool write, unsigned sub, uintptr_t ip)
{
	uint8_t mode = write ? UL_WRITE : read_mode(rw);
	return rw_acquire(rw, (uint8_t)sub, ip, &(struct ul_call){ .op = UL_OP_LOCK, .mode = mode });
}

/* Out of line with scalar arguments, so the fast path needs no room for
 * a struct ul_call. */
static __attribute__((noinline)) int rw_lock_slow(pthread_rwlock_t *rw, uint8_t mode, uintptr_t ip)
{
	return rw_acquire(rw, 0xff, ip, &(struct ul_call){ .op = UL_OP_LOCK, .mode = mode });
}

/* glibc's rdlock or wrlock cannot fail or wait on it (glibc >= 2.25
 * layout of __readers: bit 0 write phase, bit 1 write-locked, readers
 * from bit 3). A recursive read: the lock is in its read phase with room
 * for more readers (a writer-preferring rwlock makes readers wait for
 * queued writers, so its reads are never taken this way). A write: no
 * reader and no writer. */
static inline __attribute__((always_inline)) bool rw_free_for(const pthread_rwlock_t *rw, uint8_t mode)
{
	unsigned r = __atomic_load_n(&rw->__data.__readers, __ATOMIC_RELAXED);
	if (mode == UL_WRITE)
		return (r & ~1u) == 0;
	return mode == UL_RREAD && (r & (3u | 0xc0000000u)) == 0;
}

/* Chain cached, lock busy: try, then the watched wait, then record. */
static __attribute__((noinline)) int rw_lock_busy(struct ul_thread *t, pthread_rwlock_t *rw, uint64_t key,
						  uint64_t class_inst, uint8_t mode, uintptr_t ip)
{
	return ul_fast_lock(t, rw, &(struct ul_fast){ key, (uint32_t)class_inst, (uint32_t)(class_inst >> 32) },
			    mode, ip, &rw_ops);
}

static inline __attribute__((always_inline)) int rw_real_lock(pthread_rwlock_t *rw, uint8_t mode)
{
	return mode == UL_WRITE ? REAL(pthread_rwlock_wrlock)(rw) : REAL(pthread_rwlock_rdlock)(rw);
}

/* The lock cache missed: the lock's tag words (--lock-tags), else the
 * shared table, which fills the lock cache and writes the tag. */
static __attribute__((noinline)) int rw_lock_miss(pthread_rwlock_t *rw, uint8_t mode, uintptr_t ip)
{
	struct ul_thread *t = ul_fast_thread();
	if (!t)
		return rw_lock_slow(rw, mode, ip);
	struct ul_lcache *c = &t->lcache[ul_lcache_slot(rw)], tc;
	uint32_t epoch = atomic_load_explicit(ul_lock_epoch(rw), memory_order_acquire);
	uint64_t *w = ul_rwlock_tag(rw);
	if (w && ul_fast_tag(rw, epoch, w, UL_RWLOCK_TAG_W1(w), &tc))
		c = &tc;
	else if (!ul_fast_fill_tag(t, c, rw, epoch, w, w ? UL_RWLOCK_TAG_W1(w) : NULL))
		return rw_lock_slow(rw, mode, ip);
	struct ul_fast f;
	if (!ul_fast_chain_m(t, c, mode, 0, c != &tc, &f))
		return rw_lock_slow(rw, mode, ip);
	if (!rw_free_for(rw, mode))
		return rw_lock_busy(t, rw, f.key, f.class_id | (uint64_t)f.inst << 32, mode, ip);
	ul_fast_push(t, rw, &f, ip, mode, 0);
	return rw_real_lock(rw, mode);
}

/* Blocking rd/wr: record, then take, as for mutexes (mutex.c). */
static inline __attribute__((always_inline)) int rw_lock(pthread_rwlock_t *rw, uint8_t mode, uintptr_t ip)
{
	struct ul_thread *t = ul_fast_thread();
	struct ul_fast f;
	if (unlikely(!t))
		return rw_lock_slow(rw, mode, ip);
	uint32_t epoch;
	struct ul_lcache tc;
	struct ul_lcache *c = ul_fast_lookup(t, rw, &epoch);
	if (unlikely(!c)) {
		/* not in the lock cache: its tag words (no memo there) */
		const uint64_t *w = ul_rwlock_tag(rw);
		if (!w || !ul_fast_tag(rw, epoch, w, UL_RWLOCK_TAG_W1(w), &tc))
			return rw_lock_miss(rw, mode, ip);
		if (!ul_fast_chain_m(t, &tc, mode, 0, false, &f))
			return rw_lock_slow(rw, mode, ip);
	} else if (unlikely(!ul_fast_chain(t, c, mode, 0, &f))) {
		return rw_lock_slow(rw, mode, ip);
	}
	if (unlikely(!rw_free_for(rw, mode)))
		return rw_lock_busy(t, rw, f.key, f.class_id | (uint64_t)f.inst << 32, mode, ip);
	ul_fast_push(t, rw, &f, ip, mode, 0);
	return rw_real_lock(rw, mode);
}

/* A writer-preferring rwlock's read (non-recursive): never record-then-
 * lock (rw_free_for), so out of the common read's way. */
static __attribute__((noinline)) int rw_rdlock_nonrec(pthread_rwlock_t *rw, uintptr_t ip)
{
	return rw_lock(rw, UL_READ, ip);
}

INTERCEPTOR(int, pthread_rwlock_rdlock, (pthread_rwlock_t *rw))
{
	if (unlikely(read_mode(rw) != UL_RREAD))
		return rw_rdlock_nonrec(rw, UL_IP);
	return rw_lock(rw, UL_RREAD, UL_IP);
}

INTERCEPTOR(int, pthread_rwlock_wrlock, (pthread_rwlock_t *rw))
{
	return rw_lock(rw, UL_WRITE, UL_IP);
}

INTERCEPTOR(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *rw))
{
	return rw_acquire(rw, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TRY, .mode = read_mode(rw) });
}

INTERCEPTOR(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *rw))
{
	return rw_acquire(rw, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TRY, .mode = UL_WRITE });
}

INTERCEPTOR(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t *rw, const struct timespec *ts))
{
	return rw_acquire(rw, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TIMED, .mode = read_mode(rw), .ts = ts });
}

INTERCEPTOR(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t *rw, const struct timespec *ts))
{
	return rw_acquire(rw, 0xff, UL_IP, &(struct ul_call){ .op = UL_OP_TIMED, .mode = UL_WRITE, .ts = ts });
}

INTERCEPTOR(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t *rw, clockid_t clk, const struct timespec *ts))
{
	return rw_acquire(rw, 0xff, UL_IP,
			  &(struct ul_call){ .op = UL_OP_CLOCK, .mode = read_mode(rw), .clk = clk, .ts = ts });
}

INTERCEPTOR(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t *rw, clockid_t clk, const struct timespec *ts))
{
	return rw_acquire(rw, 0xff, UL_IP,
			  &(struct ul_call){ .op = UL_OP_CLOCK, .mode = UL_WRITE, .clk = clk, .ts = ts });
}

/* Out of line: the fast path keeps no frame. */
static __attribute__((noinline)) int rwlock_unlock_slow(pthread_rwlock_t *rw, uintptr_t ip)
{
	ul_unlock_event(rw, UL_KIND_RWLOCK, ul_rwlock_free(rw), ip);
	return REAL(pthread_rwlock_unlock)(rw);
}

INTERCEPTOR(int, pthread_rwlock_unlock, (pthread_rwlock_t *rw))
{
	struct ul_thread *t = ul_fast_thread();
	if (likely(t && ul_fast_release(t, rw)))
		return REAL(pthread_rwlock_unlock)(rw);
	return rwlock_unlock_slow(rw, UL_IP);
}
