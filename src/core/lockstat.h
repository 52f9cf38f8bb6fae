/* Lock statistics (the kernel's CONFIG_LOCK_STAT): per class and per mode
 * (write, read), acquisitions, contentions, wait and hold times, bounces,
 * and the call sites where waits happened. Collected only with --lock-stat
 * (or --html). Each thread counts into its own table; a thread's table is
 * merged into the totals when it exits. */
#ifndef UL_LOCKSTAT_H
#define UL_LOCKSTAT_H
#include "core.h"

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

void ul_lstat_init(void);
/* The thread could not take the lock at once and is about to block. */
void ul_lstat_wait_begin(struct ul_thread *t, const void *lock);
/* The lock is held; h is its new held entry (NULL for a recursive re-entry). */
void ul_lstat_acquired(struct ul_thread *t, const struct ul_acquire *a, struct ul_held *h);
void ul_lstat_released(struct ul_thread *t, const struct ul_held *h);
void ul_lstat_thread_exit(struct ul_thread *t);
/* Totals of every class with an acquisition, times in ns, sorted by
 * contentions then acquisitions. The array is from ul_map(); *bytes is
 * its size for ul_unmap(). NULL when there is nothing. */
struct ul_lstat_class *ul_lstat_collect(uint32_t *n, size_t *bytes);

#endif
