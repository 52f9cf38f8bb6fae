#define _GNU_SOURCE
/* The acquisition pipeline's out-of-line parts: the one wait loop, the
 * slow path and the unlock event (acquire.h). */
#include "acquire.h"

int ul_wait_loop(struct ul_thread *t, clockid_t clk, bool (*step)(void *arg, const struct timespec *dl, int *r),
		 void *arg)
{
	long ms = ul_rt.opt.deadlock_timeout_ms;
	for (;;) {
		struct timespec dl;
		int r;
		ul_wait_deadline(&dl, clk, ms);
		if (step(arg, &dl, &r))
			return r;
		int e = errno;
		t->busy = 1;
		ul_wait_check(t);
		t->busy = 0;
		errno = e;
		ms = ul_wait_next_ms(t);
	}
}

struct lock_wait {
	void *lock;
	uint8_t mode;
	const struct ul_lock_ops *o;
};

/* One wait on a lock until dl: the family's timed call, or polling its
 * try (spin locks, on CLOCK_MONOTONIC). */
static bool lock_step(void *arg, const struct timespec *dl, int *r)
{
	const struct lock_wait *w = arg;
	const struct ul_lock_ops *o = w->o;
	if (!o->spin) {
		*r = o->call(w->lock, &(struct ul_call){ .op = UL_OP_CLOCK, .mode = w->mode, .clk = o->wait_clock,
							 .ts = dl });
		return *r != o->timedout;
	}
	uint64_t until = (uint64_t)dl->tv_sec * 1000000000u + (uint64_t)dl->tv_nsec;
	for (unsigned n = 1;; n++) {
		*r = o->call(w->lock, &(struct ul_call){ .op = UL_OP_TRY, .mode = w->mode });
		if (*r != o->busy)
			return true;
		if ((n & 1023) == 0 && ul_now_ns() > until)
			return false;
		__builtin_ia32_pause();
	}
}

int ul_block(struct ul_thread *t, void *lock, uint8_t mode, const struct ul_lock_ops *o)
{
	if (!t || !ul_wait_tracked() || (o->no_probe && o->no_probe(lock)))
		return o->call(lock, &(struct ul_call){ .op = UL_OP_LOCK, .mode = mode });
	int r = o->call(lock, &(struct ul_call){ .op = UL_OP_TRY, .mode = mode });
	if (r != o->busy)
		return r;
	ul_wait_begin(t, lock, mode);
	struct lock_wait w = { lock, mode, o };
	r = ul_wait_loop(t, o->spin ? CLOCK_MONOTONIC : o->wait_clock, lock_step, &w);
	ul_wait_end(t);
	return r;
}

int ul_acquire(struct ul_acquire *a, const struct ul_lock_ops *o, const struct ul_call *c)
{
	void *lock = (void *)(uintptr_t)a->lock;
	/* --lock-stat keeps threads off the ordinary fast path: a blocking
	 * call with a cached chain takes it here, plus counting */
	struct ul_thread *st;
	struct ul_fast f;
	if (unlikely(ul_lstat_on) && c->op == UL_OP_LOCK && a->subclass == 0xff &&
	    (st = ul_lstat_fast_thread()) && ul_fast_check(st, lock, a->mode, 0, &f)) {
		int r = ul_fast_lock(st, lock, &f, a->mode, a->ip, o);
		if (ul_acq_ok(o, r))
			ul_lstat_fast_acquired(st, lock, &f, a->mode, a->ip);
		return r;
	}
	struct ul_thread *t = ul_enter();
	if (!t)
		return o->call(lock, c);
	int e = errno;
	a->kind = o->kind;
	ul_validate_acquire(t, a);
	ul_leave(t);
	errno = e;
	int r = c->op == UL_OP_LOCK ? ul_take(t, lock, a->mode, o) : o->call(lock, c);
	e = errno;
	if (ul_acq_ok(o, r)) {
		t->busy = 1;
		ul_acquired(t, a);
		ul_leave(t);
	}
	errno = e;
	return r;
}

void ul_unlock_event(const void *lock, uint8_t kind, bool free_now, uintptr_t ip)
{
	if (unlikely(ul_lstat_on) && ul_lstat_fast_release(lock)) /* --lock-stat */
		return;
	int e = errno;
	ul_release_event_kind(lock, kind, free_now, ip);
	errno = e;
}
