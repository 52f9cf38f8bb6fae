#define _GNU_SOURCE
/* Thread start and exit: held-lock checks at exit, state handed over at
 * creation (the signal mask the child inherits). */
#include <string.h>

#include "interpose.h"

static pthread_key_t thread_key;
UL_STATIC_MUTEX(start_lock);

struct start {
	void *(*fn)(void *);
	int (*c11fn)(void *);
	void *arg;
	uint64_t sig_blocked;
	struct start *next;
};

static struct start *free_starts;

void ul_thread_key_init(pthread_key_t key)
{
	thread_key = key;
}

static struct start *start_new(void)
{
	ul_mutex_lock(&start_lock);
	struct start *s = free_starts;
	if (s)
		free_starts = s->next;
	ul_mutex_unlock(&start_lock);
	if (!s)
		s = ul_alloc(sizeof *s);
	return s;
}

static void start_free(struct start *s)
{
	ul_mutex_lock(&start_lock);
	s->next = free_starts;
	free_starts = s;
	ul_mutex_unlock(&start_lock);
}

static struct start adopt(void *p)
{
	struct start s = *(struct start *)p;
	start_free(p);
	struct ul_thread *t = ul_thread_get(); /* registers the key destructor */
	if (t) {
		t->started = true;
		t->sig_blocked = s.sig_blocked;
		ul_thread_mask_changed(t);
	}
	return s;
}

/* The thread's code is done: the held-lock check runs in the last round
 * of key destructors (runtime.c), after the program's destructors. */
static void finish(uintptr_t ip)
{
	struct ul_thread *t = ul_self;
	if (t) {
		t->started = true;
		if (!t->exit_ip)
			t->exit_ip = ip;
	}
}

static void *ul_thread_start(void *p)
{
	struct start s = adopt(p);
	void *ret = s.fn(s.arg);
	finish(0);
	return ret;
}

static int ul_c11_thread_start(void *p)
{
	struct start s = adopt(p);
	int ret = s.c11fn(s.arg);
	finish(0);
	return ret;
}

static struct start *prepare(const pthread_attr_t *attr)
{
	if (atomic_load(&ul_init_state) != 2)
		return NULL;
	/* a thread with no state yet: a handler must not set it up while
	 * start_new holds runtime locks */
	bool guard = !ul_self && !ul_self_state;
	if (guard)
		ul_self_state = 1;
	struct start *s = start_new();
	if (guard)
		ul_self_state = 0;
	if (s) {
		/* the new thread's mask: the creator's, or the attribute's */
		struct ul_thread *t = ul_self;
		sigset_t m;
		s->sig_blocked = t ? t->sig_blocked : 0;
		if (attr && pthread_attr_getsigmask_np(attr, &m) == 0)
			memcpy(&s->sig_blocked, &m, sizeof s->sig_blocked);
	}
	return s;
}

INTERCEPTOR(int, pthread_create, (pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg))
{
	if (!HAVE_REAL(pthread_create))
		ul_resolve_reals();
	struct start *s = prepare(attr);
	if (!s)
		return REAL(pthread_create)(th, attr, fn, arg);
	s->fn = fn;
	s->arg = arg;
	int r = REAL(pthread_create)(th, attr, ul_thread_start, s);
	if (r)
		start_free(s);
	return r;
}

INTERCEPTOR(int, thrd_create, (thrd_t *th, thrd_start_t fn, void *arg))
{
	if (!HAVE_REAL(thrd_create))
		ul_resolve_reals();
	struct start *s = prepare(NULL);
	if (!s)
		return REAL(thrd_create)(th, fn, arg);
	s->c11fn = fn;
	s->arg = arg;
	int r = REAL(thrd_create)(th, ul_c11_thread_start, s);
	if (r != thrd_success)
		start_free(s);
	return r;
}

INTERCEPTOR(void, pthread_exit, (void *ret))
{
	finish(UL_IP);
	REAL(pthread_exit)(ret);
	__builtin_unreachable();
}
