#define _GNU_SOURCE
/* pthread_once (and std::call_once, built on it) and C11 call_once: a caller may wait for
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

/* The real once call: pthread_once, or C11 call_once (glibc runs it on
 * its internal once, which no interposed pthread_once sees). */
static int real_once(bool c11, void *o, void (*fn)(void))
{
	if (!c11)
		return REAL(pthread_once)(o, fn);
	REAL(call_once)(o, fn);
	return 0;
}

static int once(bool c11, void *o, void (*fn)(void), uintptr_t ip)
{
	if (c11 ? !HAVE_REAL(call_once) : !HAVE_REAL(pthread_once))
		ul_resolve_reals();
	struct ul_thread *t = ul_enter();
	if (!t)
		return real_once(c11, o, fn);
	if (!ul_rt.opt.wait_check) {
		ul_leave(t);
		return real_once(c11, o, fn);
	}
	int e = errno;
	uint32_t ec = ul_event_class(o, UL_KIND_ONCE, ip);
	ul_event_wait(t, ec, ip, UL_EVW_KEEP);
	ul_leave(t);
	struct once_call prev = once_cur;
	once_cur = (struct once_call){ fn, ec, ip };
	errno = e;
	int r = real_once(c11, o, once_run);
	once_cur = prev;
	return r;
}

INTERCEPTOR(int, pthread_once, (pthread_once_t *o, void (*fn)(void)))
{
	return once(false, o, fn, UL_IP);
}

INTERCEPTOR(void, call_once, (once_flag *o, void (*fn)(void)))
{
	once(true, o, fn, UL_IP);
}
