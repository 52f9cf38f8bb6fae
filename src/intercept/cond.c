#define _GNU_SOURCE
/* Condition variables. The mutex is released and taken again inside libc,
 * where no interposed call sees it: both halves are modelled here. A wait
 * is also an event wait (held locks -> the condvar's class) and a signal or
 * broadcast produces the event (condvar -> locks the signaller took since
 * its last wait). The condvar's own mutex is never a dependency. */
#include "interpose.h"

static uint32_t cond_class(const void *c, uintptr_t ip)
{
	return ul_rt.opt.wait_check ? ul_event_class(c, UL_KIND_COND, ip) : 0;
}

/* Before the wait: the mutex is released, the wait recorded. Returns the
 * thread, or NULL. */
static struct ul_thread *cond_release(const void *c, const void *m, uintptr_t ip, struct ul_acquire *a,
				      uint8_t mutex_type, bool timed)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return NULL;
	struct ul_held *h = ul_held_find(t, m);
	*a = (struct ul_acquire){ .lock = m, .ip = ip, .kind = UL_KIND_MUTEX, .mode = UL_WRITE,
				  .subclass = 0xff, .mutex_type = mutex_type };
	uint32_t mclass = 0;
	if (h) {
		a->ip = h->ip;
		mclass = h->class_id;
	}
	if (h && (h->flags & UL_HELD_CONDWAIT))
		ul_event_wait_again(t, c);
	ul_release(t, m, ip, true);
	uint32_t ec = cond_class(c, ip);
	struct ul_class *cc = ul_class_get(ec);
	if (cc && mclass) {
		uint32_t none = 0;
		atomic_compare_exchange_strong(&cc->cond_mutex, &none, mclass);
	}
	ul_event_wait(t, ec, ip, timed ? UL_EVW_TIMED : 0);
	ul_event_wait_note(t, c, ec, false);
	if (!timed)
		ul_event_block(t, c, UL_KIND_COND, ip);
	ul_leave(t);
	return t;
}

/* After the wait: the mutex is held again, on success, on timeout, and on
 * an error like EINVAL (bad timespec or clock), which glibc returns before
 * it releases the mutex. Only a robust mutex made not recoverable is lost. */
static void cond_reacquire(struct ul_thread *t, struct ul_acquire *a, int r)
{
	if (!t)
		return;
	ul_event_unblock(t);
	if (r == ENOTRECOVERABLE)
		return;
	if (ul_enter() != t)
		return;
	ul_validate_acquire(t, a);
	ul_acquired(t, a);
	struct ul_held *h = ul_held_find(t, a->lock);
	if (h)
		h->flags |= UL_HELD_CONDWAIT;
	if (r == 0) /* woken: a timeout or an error is no evidence of a waker */
		ul_event_woken(t, true);
	ul_leave(t);
}

/* Cancelled in the wait: glibc takes the mutex again before unwinding, so
 * the program's cleanup handler can unlock it. */
struct cond_wait {
	struct ul_thread *t;
	struct ul_acquire a;
};

static void cond_cancelled(void *arg)
{
	struct cond_wait *w = arg;
	cond_reacquire(w->t, &w->a, 0);
}

/* The real wait a program asked for. */
enum cond_op { PTHREAD_WAIT, PTHREAD_TIMED, PTHREAD_CLOCK, C11_WAIT, C11_TIMED };

static int real_wait(enum cond_op op, void *c, void *m, clockid_t clk, const struct timespec *ts)
{
	switch (op) {
	case PTHREAD_WAIT:
		return REAL(pthread_cond_wait)(c, m);
	case PTHREAD_TIMED:
		return REAL(pthread_cond_timedwait)(c, m, ts);
	case PTHREAD_CLOCK:
		return REAL(pthread_cond_clockwait)(c, m, clk, ts);
	case C11_WAIT:
		return REAL(cnd_wait)(c, m);
	default:
		return REAL(cnd_timedwait)(c, m, ts);
	}
}

/* Every condition wait: the mutex is released in the model before the
 * wait and taken again after it, also when the thread is cancelled in it. */
static int cond_wait(enum cond_op op, void *c, pthread_mutex_t *m, clockid_t clk, const struct timespec *ts,
		     uintptr_t ip)
{
	bool timed = op != PTHREAD_WAIT && op != C11_WAIT;
	int e = errno;
	struct cond_wait w;
	w.t = cond_release(c, m, ip, &w.a, ul_mutex_type(m), timed);
	errno = e;
	int r;
	pthread_cleanup_push(cond_cancelled, &w);
	r = real_wait(op, c, m, clk, ts);
	pthread_cleanup_pop(0);
	e = errno;
	cond_reacquire(w.t, &w.a, r);
	errno = e;
	return r;
}

/* A signal or broadcast: the event its waiters wait for. Edges only once
 * the condvar's mutex is known (from a wait), so it is never one of them. */
static void cond_produce(const void *c, uintptr_t ip)
{
	struct ul_thread *t = ul_enter(); /* also starts the runtime: the real call is found */
	if (!t)
		return;
	if (!ul_rt.opt.wait_check && !ul_rt.opt.deadlock_detect) {
		ul_leave(t); /* neither the graph nor the wait-for check wants it */
		return;
	}
	int e = errno;
	uint32_t ec = cond_class(c, ip);
	struct ul_class *cc = ul_class_get(ec);
	uint32_t mclass = cc ? atomic_load_explicit(&cc->cond_mutex, memory_order_relaxed) : 0;
	ul_event_produce(t, mclass ? ec : 0, ip, mclass, true);
	if (ec)
		ul_event_record(t, c, ec);
	ul_leave(t);
	errno = e;
}

static void cond_init_event(const void *c, uintptr_t ip)
{
	if (ul_rt.opt.wait_check)
		ul_lock_init_event(c, UL_KIND_COND, 0, false, ip);
}

static void cond_destroy_event(const void *c, uintptr_t ip)
{
	int e = errno;
	if (ul_rt.opt.wait_check) {
		ul_lock_destroy_event(c, ip);
		ul_event_forget(c);
	}
	errno = e;
}

INTERCEPTOR(int, pthread_cond_init, (pthread_cond_t *c, const pthread_condattr_t *attr))
{
	if (!HAVE_REAL(pthread_cond_init))
		ul_resolve_reals();
	int r = REAL(pthread_cond_init)(c, attr);
	if (r == 0) {
		int e = errno;
		cond_init_event(c, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_cond_destroy, (pthread_cond_t *c))
{
	if (!HAVE_REAL(pthread_cond_destroy))
		ul_resolve_reals();
	cond_destroy_event(c, UL_IP);
	return REAL(pthread_cond_destroy)(c);
}

INTERCEPTOR(int, pthread_cond_signal, (pthread_cond_t *c))
{
	UL_NEED_REAL(pthread_cond_signal);
	cond_produce(c, UL_IP);
	return REAL(pthread_cond_signal)(c);
}

INTERCEPTOR(int, pthread_cond_broadcast, (pthread_cond_t *c))
{
	UL_NEED_REAL(pthread_cond_broadcast);
	cond_produce(c, UL_IP);
	return REAL(pthread_cond_broadcast)(c);
}

INTERCEPTOR(int, pthread_cond_wait, (pthread_cond_t *c, pthread_mutex_t *m))
{
	return cond_wait(PTHREAD_WAIT, c, m, 0, NULL, UL_IP);
}

INTERCEPTOR(int, pthread_cond_timedwait, (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *ts))
{
	return cond_wait(PTHREAD_TIMED, c, m, 0, ts, UL_IP);
}

INTERCEPTOR(int, pthread_cond_clockwait,
	    (pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk, const struct timespec *ts))
{
	return cond_wait(PTHREAD_CLOCK, c, m, clk, ts, UL_IP);
}

/* ISO C11: glibc's mtx_t has the pthread_mutex_t layout; cnd_* have their
 * own symbols. */
INTERCEPTOR(int, cnd_init, (cnd_t *c))
{
	if (!HAVE_REAL(cnd_init))
		ul_resolve_reals();
	int r = REAL(cnd_init)(c);
	if (r == thrd_success) {
		int e = errno;
		cond_init_event(c, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(void, cnd_destroy, (cnd_t *c))
{
	if (!HAVE_REAL(cnd_destroy))
		ul_resolve_reals();
	cond_destroy_event(c, UL_IP);
	REAL(cnd_destroy)(c);
}

INTERCEPTOR(int, cnd_signal, (cnd_t *c))
{
	UL_NEED_REAL(cnd_signal);
	cond_produce(c, UL_IP);
	return REAL(cnd_signal)(c);
}

INTERCEPTOR(int, cnd_broadcast, (cnd_t *c))
{
	UL_NEED_REAL(cnd_broadcast);
	cond_produce(c, UL_IP);
	return REAL(cnd_broadcast)(c);
}

INTERCEPTOR(int, cnd_wait, (cnd_t *c, mtx_t *mtx))
{
	return cond_wait(C11_WAIT, c, (pthread_mutex_t *)mtx, 0, NULL, UL_IP);
}

INTERCEPTOR(int, cnd_timedwait, (cnd_t *__restrict c, mtx_t *__restrict mtx, const struct timespec *__restrict ts))
{
	return cond_wait(C11_TIMED, c, (pthread_mutex_t *)mtx, 0, ts, UL_IP);
}
