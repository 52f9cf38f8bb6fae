#define _GNU_SOURCE
/* Event helpers shared by all lock interceptors. */
#include <string.h>

#include "../core/lockstat.h"
#include "../report/report.h"
#include "interpose.h"

void ul_lock_init_event(const void *lock, uint8_t kind, uint8_t mutex_type, bool writer_pref, uintptr_t ip)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	struct ul_held *h = ul_held_find(t, lock);
	/* a fork child's handler may make a lock held across the fork anew
	 * instead of unlocking it (jemalloc, glibc's own locks): it is free */
	if (h && (h->flags & UL_HELD_FORKED))
		ul_release(t, lock, ip, false);
	else if (h)
		ul_lock_destroyed(t, lock, ip, true);
	struct ul_lock l;
	ul_lock_register(lock, kind, mutex_type, writer_pref, ip, UL_ORIGIN_INIT, &l);
	ul_leave(t);
}

void ul_lock_destroy_event(const void *lock, uintptr_t ip)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	ul_lock_destroyed(t, lock, ip, false);
	ul_leave(t);
}

/* Returns 0 if the lock was held by this thread (or untracked). free_now:
 * nobody holds it in memory, so an unlock of a lock never seen (a static
 * initialiser, never locked) is bad too. */
int ul_release_event_kind(const void *lock, uint8_t kind, bool free_now, uintptr_t ip)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return 0;
	bool ok = ul_release(t, lock, ip, true);
	struct ul_lock l;
	if (!ok && free_now && !ul_lock_get(lock, &l) && ul_lock_resolve(lock, kind, ip, &l)) {
		/* nobody holds it, and it was never seen: no lock taken while
		 * untracked can explain this unlock */
		bool none = !atomic_load_explicit(&t->depth, memory_order_relaxed);
		ul_found(&(struct ul_finding){ .report_kind = UL_R_BAD_UNLOCK, .t = t, .lock = lock, .ip = ip,
					       .why = none ? "but there are no more locks to release!"
							   : "but this thread does not hold it!" });
	}
	ul_leave(t);
	return ok ? 0 : -1;
}

void ul_wait_deadline(struct timespec *ts, clockid_t clk, long ms)
{
	clock_gettime(clk, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* --lock-stat: release of the most recent lock with its hold time
 * (lockstat.h). */
bool ul_lstat_fast_release(const void *lock)
{
	struct ul_thread *t = ul_lstat_fast_thread();
	if (!t)
		return false;
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	if (!d || t->held[d - 1].lock != lock || t->held[d - 1].refs != 1)
		return false;
	t->busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	ul_lstat_released(t, &t->held[d - 1]);
	atomic_signal_fence(memory_order_seq_cst);
	t->busy = 0;
	return ul_fast_release(t, lock);
}
