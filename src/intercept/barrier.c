#define _GNU_SOURCE
/* Barriers: an arrival both produces the event (for the others) and waits
 * for it. The producer side counts only the locks taken since the last
 * wait and released again: a lock still held at the arrival is the wait's
 * own (held -> barrier), and the same thread cannot need it to arrive. */
#include "interpose.h"

INTERCEPTOR(int, pthread_barrier_init,
	    (pthread_barrier_t *__restrict b, const pthread_barrierattr_t *__restrict attr, unsigned count))
{
	if (!HAVE_REAL(pthread_barrier_init))
		ul_resolve_reals();
	int r = REAL(pthread_barrier_init)(b, attr, count);
	if (r == 0 && ul_rt.opt.wait_check) {
		int e = errno;
		ul_lock_init_event(b, UL_KIND_BARRIER, 0, false, UL_IP);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, pthread_barrier_destroy, (pthread_barrier_t *b))
{
	if (!HAVE_REAL(pthread_barrier_destroy))
		ul_resolve_reals();
	int e = errno;
	if (ul_rt.opt.wait_check)
		ul_lock_destroy_event(b, UL_IP);
	errno = e;
	return REAL(pthread_barrier_destroy)(b);
}

INTERCEPTOR(int, pthread_barrier_wait, (pthread_barrier_t *b))
{
	UL_NEED_REAL(pthread_barrier_wait);
	struct ul_thread *t = ul_enter();
	if (t) {
		int e = errno;
		uint32_t ec = ul_rt.opt.wait_check ? ul_event_class(b, UL_KIND_BARRIER, UL_IP) : 0;
		ul_event_produce(t, ec, UL_IP, 0, false);
		ul_event_wait(t, ec, UL_IP, 0);
		ul_leave(t);
		errno = e;
	}
	return REAL(pthread_barrier_wait)(b);
}
