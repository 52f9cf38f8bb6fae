#define _GNU_SOURCE
/* Condition variables release the mutex and take it again inside libc,
 * where no interposed call sees it: model both halves here. A condvar wait
 * is not a lock wait, so it is never part of the wait-for graph. */
#include "interpose.h"

/* Before the wait: the mutex is released. Returns the thread, or NULL. */
static struct ul_thread *cond_release(const void *m, uintptr_t ip, struct ul_acquire *a, uint8_t type)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return NULL;
	struct ul_held *h = ul_held_find(t, m);
	*a = (struct ul_acquire){ .lock = m, .ip = ip, .kind = UL_KIND_MUTEX, .mode = UL_WRITE,
				  .subclass = 0xff, .type = type };
	if (h)
		a->ip = h->ip;
	ul_release(t, m, ip, true);
	ul_leave(t);
	return t;
}

/* After the wait: the mutex is held again, on success, on timeout, and on
 * an error like EINVAL (bad timespec or clock), which glibc returns before
 * it releases the mutex. Only a robust mutex made not recoverable is lost. */
static void cond_reacquire(struct ul_thread *t, struct ul_acquire *a, int r)
{
	if (!t || r == ENOTRECOVERABLE)
		return;
	if (ul_enter() != t)
		return;
	ul_validate_acquire(t, a);
	ul_acquired(t, a);
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

#define COND_WRAP(call)                                                          \
	int e = errno;                                                           \
	struct cond_wait w;                                                      \
	w.t = cond_release(m, UL_IP, &w.a, ul_mutex_type(m));                    \
	errno = e;                                                               \
	int r;                                                                   \
	pthread_cleanup_push(cond_cancelled, &w);                                \
	r = call;                                                                \
	pthread_cleanup_pop(0);                                                  \
	e = errno;                                                               \
	cond_reacquire(w.t, &w.a, r);                                            \
	errno = e;                                                               \
	return r

INTERCEPTOR(int, pthread_cond_wait, (pthread_cond_t *c, pthread_mutex_t *m))
{
	COND_WRAP(REAL(pthread_cond_wait)(c, m));
}

INTERCEPTOR(int, pthread_cond_timedwait, (pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *ts))
{
	COND_WRAP(REAL(pthread_cond_timedwait)(c, m, ts));
}

INTERCEPTOR(int, pthread_cond_clockwait,
	    (pthread_cond_t *c, pthread_mutex_t *m, clockid_t clk, const struct timespec *ts))
{
	COND_WRAP(REAL(pthread_cond_clockwait)(c, m, clk, ts));
}

/* glibc's mtx_t has the pthread_mutex_t layout. */
INTERCEPTOR(int, cnd_wait, (cnd_t *c, mtx_t *mtx))
{
	pthread_mutex_t *m = (pthread_mutex_t *)mtx;
	COND_WRAP(REAL(cnd_wait)(c, mtx));
}

INTERCEPTOR(int, cnd_timedwait, (cnd_t *__restrict c, mtx_t *__restrict mtx, const struct timespec *__restrict ts))
{
	pthread_mutex_t *m = (pthread_mutex_t *)mtx;
	COND_WRAP(REAL(cnd_timedwait)(c, mtx, ts));
}
