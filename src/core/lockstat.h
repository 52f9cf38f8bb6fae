/* Lock statistics (the kernel's CONFIG_LOCK_STAT): per class and per mode
 * (write, read), acquisitions, contentions, wait and hold times, bounces,
 * and the call sites where waits happened. Collected only with --lock-stat
 * (or --html). Each thread counts into its own table; a thread's table is
 * merged into the totals when it exits. */
#ifndef UL_LOCKSTAT_H
#define UL_LOCKSTAT_H
#include "fastpath.h"

#define UL_LSTAT_POINTS 4

struct ul_lstat_time {
	uint64_t nr, min, max, total; /* clock ticks until ul_lstat_collect() */
};

/* [0] write (exclusive), [1] read (shared) */
struct ul_lstat {
	uint64_t acquisitions[2];
	uint64_t con_bounces[2], acq_bounces[2];
	struct ul_lstat_time wait[2], hold[2];
};

struct ul_lstat_point {
	uintptr_t ip;
	uint64_t n;
};

struct ul_lstat_class {
	uint32_t class_id;
	struct ul_lstat s;
	/* where waiters were (contention) and where the holder had taken the
	 * lock (contending), the most frequent first */
	struct ul_lstat_point contention[UL_LSTAT_POINTS], contending[UL_LSTAT_POINTS];
};

void ul_lstat_init(bool on);
/* The thread could not take the lock at once and is about to block. */
void ul_lstat_wait_begin(struct ul_thread *t, const void *lock);
/* The lock is held; h is its new held entry (NULL for a recursive re-entry). */
void ul_lstat_acquired(struct ul_thread *t, const void *lock, uint32_t class_id, uint8_t mode, uintptr_t ip,
		       struct ul_held *h);
void ul_lstat_released(struct ul_thread *t, const struct ul_held *h);
void ul_lstat_thread_exit(struct ul_thread *t);
/* Totals of every class with an acquisition, times in ns, sorted by
 * contentions then acquisitions. The array is from ul_map(); *bytes is
 * its size for ul_unmap(). NULL when there is nothing. */
struct ul_lstat_class *ul_lstat_collect(uint32_t *n, size_t *bytes);

/* With statistics on, t->lstat keeps every thread off the ordinary fast
 * path (fastpath.h). The interceptors' fallbacks use these instead: the
 * same cached-chain fast path, plus counting. */
static inline struct ul_thread *ul_lstat_fast_thread(void)
{
	struct ul_thread *t = ul_self;
	if (unlikely(!t || t->busy || t->off || t->ctx_untracked))
		return NULL;
	if (unlikely(t->ctx)) {
		ul_ctx_left_check(t);
		if (t->ctx)
			return NULL; /* the fast path runs outside handlers only */
	}
	return t;
}

/* After ul_fast_push(): count the acquisition just pushed. Busy, so a
 * signal handler's lock calls do not re-enter the counters. errno is left
 * alone: the os layer under the counters preserves it. */
static inline void ul_lstat_fast_acquired(struct ul_thread *t, const void *lock, const struct ul_fast *f,
					  uint8_t mode, uintptr_t ip)
{
	t->busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	ul_lstat_acquired(t, lock, f->class_id, mode, ip, &t->held[d - 1]);
	atomic_signal_fence(memory_order_seq_cst);
	t->busy = 0;
}

/* Release of the most recent lock with its hold time; false sends the
 * caller to the slow path. Out of line (intercept/lockops.c): the unlock
 * interceptors stay as small as without statistics. */
bool ul_lstat_fast_release(const void *lock);

#endif
