#define _GNU_SOURCE
/* pthread_once (and std::call_once, built on it): a caller may wait for
 * another thread's initialiser, so the caller's held locks -> the once
 * class, and the initialiser's locks: once class -> each lock it took. The
 * initialiser runs through a trampoline that knows the real routine from
 * thread-local storage (pthread_once passes no argument). */
#include <string.h>

#include "interpose.h"

struct once_call {
	void (*fn)(void);
	uint32_t ev_class;
	uintptr_t ip;
};
static __thread struct once_call once_cur UL_TLS;

static void once_run(void)
{
	struct once_call c = once_cur;
	struct ul_thread *t = ul_enter();
	uint32_t saved[16];
	uintptr_t saved_ip[16];
	uint8_t nsaved = 0;
	if (t) {
		/* the window of the initialiser alone */
		memcpy(saved, t->recent, sizeof saved);
		memcpy(saved_ip, t->recent_ip, sizeof saved_ip);
		nsaved = t->nrecent;
		ul_event_window_reset(t);
		ul_leave(t);
	}
	c.fn();
	if (t && ul_enter() == t) {
		int e = errno;
		ul_event_produce(t, c.ev_class, c.ip, 0, false);
		memcpy(t->recent, saved, sizeof saved);
		memcpy(t->recent_ip, saved_ip, sizeof saved_ip);
		t->nrecent = nsaved;
		ul_leave(t);
		errno = e;
	}
}

INTERCEPTOR(int, pthread_once, (pthread_once_t *o, void (*fn)(void)))
{
	if (!HAVE_REAL(pthread_once))
		ul_resolve_reals();
	struct ul_thread *t = ul_enter();
	if (!t)
		return REAL(pthread_once)(o, fn);
	if (!ul_rt.opt.wait_check) {
		ul_leave(t);
		return REAL(pthread_once)(o, fn);
	}
	int e = errno;
	uint32_t ec = ul_event_class(o, UL_KIND_ONCE, UL_IP);
	ul_event_wait(t, ec, UL_IP, UL_EVW_KEEP);
	ul_leave(t);
	struct once_call prev = once_cur;
	once_cur = (struct once_call){ fn, ec, UL_IP };
	errno = e;
	int r = REAL(pthread_once)(o, once_run);
	once_cur = prev;
	return r;
}
