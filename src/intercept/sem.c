#define _GNU_SOURCE
/* Semaphores: sem_wait is an event wait (held locks -> the semaphore's
 * class), sem_post produces the event (semaphore -> locks the poster took
 * since its last wait). A blocking sem_wait that lasts checks the wait-for
 * graph, which follows the semaphore to its poster when only one thread
 * posted it lately. */
#include "interpose.h"

static uint32_t sem_class(const void *s, uintptr_t ip)
{
	return ul_rt.opt.wait_check ? ul_event_class(s, UL_KIND_SEM, ip) : 0;
}

INTERCEPTOR(int, sem_init, (sem_t *s, int pshared, unsigned value))
{
	if (!HAVE_REAL(sem_init))
		ul_resolve_reals();
	int r = REAL(sem_init)(s, pshared, value);
	if (r == 0 && ul_rt.opt.wait_check) {
		int e = errno;
		ul_lock_init_event(s, UL_KIND_SEM, 0, false, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, sem_destroy, (sem_t *s))
{
	if (!HAVE_REAL(sem_destroy))
		ul_resolve_reals();
	int e = errno;
	if (ul_rt.opt.wait_check) {
		ul_lock_destroy_event(s, UL_IP);
		ul_event_forget(s);
	}
	errno = e;
	return REAL(sem_destroy)(s);
}

/* Record the wait; returns the thread (busy cleared) or NULL. */
static struct ul_thread *sem_wait_begin(sem_t *s, uintptr_t ip, unsigned flags)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return NULL;
	int e = errno;
	uint32_t ec = sem_class(s, ip);
	ul_event_wait(t, ec, ip, flags);
	ul_event_wait_note(t, s, ec, false);
	ul_leave(t);
	errno = e;
	return t;
}

/* After a wait: a token taken is evidence of who posted it. */
static int sem_woken(struct ul_thread *t, int r)
{
	if (!t || r != 0 || ul_enter() != t)
		return r;
	int e = errno;
	ul_event_woken(t, false);
	ul_leave(t);
	errno = e;
	return r;
}

struct sem_wait {
	sem_t *s;
	int errno_in; /* the caller's errno: a time-out of ours must not show */
};

static bool sem_step(void *arg, const struct timespec *dl, int *r)
{
	struct sem_wait *w = arg;
	*r = REAL(sem_clockwait)(w->s, CLOCK_MONOTONIC, dl);
	if (*r == -1 && errno == ETIMEDOUT) {
		errno = w->errno_in;
		return false;
	}
	return true;
}

/* Block; past the deadlock timeout, check the wait-for graph and go on
 * waiting. The count is state, so a timed wait loses no post. */
static int sem_block(struct ul_thread *t, sem_t *s, uintptr_t ip)
{
	if (!t || !ul_rt.opt.deadlock_detect)
		return REAL(sem_wait)(s);
	int e = errno;
	if (REAL(sem_trywait)(s) == 0) {
		errno = e;
		return 0;
	}
	if (errno != EAGAIN)
		return -1;
	errno = e;
	ul_event_block(t, s, UL_KIND_SEM, ip);
	struct sem_wait w = { s, e };
	int r = ul_wait_loop(t, CLOCK_MONOTONIC, sem_step, &w);
	ul_event_unblock(t);
	return r;
}

INTERCEPTOR(int, sem_wait, (sem_t *s))
{
	UL_NEED_REAL(sem_wait);
	struct ul_thread *t = sem_wait_begin(s, UL_IP, 0);
	if (t && !HAVE_REAL(sem_clockwait))
		return sem_woken(t, REAL(sem_wait)(s));
	return sem_woken(t, sem_block(t, s, UL_IP));
}

INTERCEPTOR(int, sem_trywait, (sem_t *s))
{
	if (!HAVE_REAL(sem_trywait))
		ul_resolve_reals();
	return REAL(sem_trywait)(s); /* never blocks: no dependency */
}

INTERCEPTOR(int, sem_timedwait, (sem_t *__restrict s, const struct timespec *__restrict ts))
{
	UL_NEED_REAL(sem_timedwait);
	struct ul_thread *t = sem_wait_begin(s, UL_IP, UL_EVW_TIMED);
	return sem_woken(t, REAL(sem_timedwait)(s, ts));
}

INTERCEPTOR(int, sem_clockwait, (sem_t *__restrict s, clockid_t clk, const struct timespec *__restrict ts))
{
	UL_NEED_REAL(sem_clockwait);
	struct ul_thread *t = sem_wait_begin(s, UL_IP, UL_EVW_TIMED);
	return sem_woken(t, REAL(sem_clockwait)(s, clk, ts));
}

INTERCEPTOR(int, sem_post, (sem_t *s))
{
	UL_NEED_REAL(sem_post);
	struct ul_thread *t = ul_enter();
	if (t && !ul_rt.opt.wait_check && !ul_rt.opt.deadlock_detect) {
		ul_leave(t); /* neither the graph nor the wait-for check wants it */
		t = NULL;
	}
	if (t) {
		int e = errno;
		/* async-signal-safe: from a handler, only note it was posted */
		uint32_t ec = t->ctx ? 0 : sem_class(s, UL_IP);
		ul_event_produce(t, ec, UL_IP, 0, true);
		if (ec)
			ul_event_record(t, s, ec);
		ul_leave(t);
		errno = e;
	}
	return REAL(sem_post)(s);
}
