#define _GNU_SOURCE
/* Thread start, exit and join: held-lock checks at exit, state handed over
 * at creation (the signal mask the child inherits). A thread is an event
 * class (its start routine): join waits for it, exit produces it. */
#include <dlfcn.h>
#include <execinfo.h>
#include <sys/auxv.h>
#include <string.h>

#include "interpose.h"

static pthread_key_t thread_key;
UL_STATIC_MUTEX(start_lock);

struct start {
	void *(*fn)(void *);
	int (*c11fn)(void *);
	void *arg;
	uint64_t sig_blocked;
	uint32_t event_class;
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

/* top: an address in the runtime's thread start frame. Every frame of the
 * thread's own code lies below it; above it are glibc's start frame, the
 * thread descriptor and the static TLS block, which pthread_getattr_np
 * counts as stack (a thread_local lock is not a stack lock). */
static struct start adopt(void *p, uintptr_t top)
{
	struct start s = *(struct start *)p;
	start_free(p);
	struct ul_thread *t = ul_thread_get(); /* registers the key destructor */
	if (t) {
		/* the stack's bounds, now: this is the start of the thread's own
		 * code, where allocating (pthread_getattr_np does) is safe */
		pthread_attr_t at;
		void *lo;
		size_t sz;
		if (!pthread_getattr_np(pthread_self(), &at)) {
			if (!pthread_attr_getstack(&at, &lo, &sz))
				ul_thread_set_stack(t, (uintptr_t)lo,
						    top - (uintptr_t)lo < sz ? top : (uintptr_t)lo + sz);
			pthread_attr_destroy(&at);
		}
		t->started = true;
		t->sig_blocked = s.sig_blocked;
		ul_thread_mask_changed(t);
		t->event_class = s.event_class;
		atomic_store(&t->handle, (uintptr_t)pthread_self());
	}
	return s;
}

/* The thread's code is done: the held-lock check and the exit event run
 * in the last round of key destructors (runtime.c), after the program's
 * destructors. */
static void finish(uintptr_t ip)
{
	struct ul_thread *t = ul_self;
	if (t) {
		t->started = true;
		if (!t->exit_ip)
			t->exit_ip = ip;
	}
}

/* The event a joiner waits for: the end of the thread, after its
 * thread_local and pthread key destructors (their locks are on its way
 * out too). Called by the runtime's last key destructor, busy set. */
void ul_thread_exit_event(struct ul_thread *t)
{
	if (!t->event_class || !ul_rt.opt.wait_check)
		return;
	ul_event_produce(t, t->event_class, UL_IP, 0, true);
	ul_event_record(t, (const void *)atomic_load(&t->handle), t->event_class);
}

static void *ul_thread_start(void *p)
{
	struct start s = adopt(p, (uintptr_t)__builtin_frame_address(0));
	void *ret = s.fn(s.arg);
	finish(0);
	return ret;
}

static int ul_c11_thread_start(void *p)
{
	struct start s = adopt(p, (uintptr_t)__builtin_frame_address(0));
	int ret = s.c11fn(s.arg);
	finish(0);
	return ret;
}

/* A thread's class (as a join event): its start routine. A library that
 * starts threads for its callers through one routine (std::thread's, or a
 * sanitizer's wrapper) would merge them all, so such a thread is classed
 * by the first frame outside that library and the system's libraries:
 * where the program asked for it. */
struct thread_key {
	uint8_t origin;
	uintptr_t key;
};

static struct thread_key thread_key_of(uintptr_t fn, uintptr_t caller)
{
	struct thread_key k = { UL_ORIGIN_KEY, fn };
	Dl_info f, c, prog;
	/* the program's own threads: their routine */
	if (!dladdr((void *)fn, &f) || !dladdr((void *)caller, &c) || f.dli_fbase != c.dli_fbase ||
	    (dladdr((void *)getauxval(AT_ENTRY), &prog) && prog.dli_fbase == f.dli_fbase))
		return k;
	void *pcs[24];
	int n = backtrace(pcs, 24);
	uintptr_t outside = 0;
	for (int i = 0; i < n; i++) {
		Dl_info x;
		if (ul_ip_in_runtime((uintptr_t)pcs[i]) || !dladdr(pcs[i], &x) || x.dli_fbase == f.dli_fbase)
			continue;
		if (!outside)
			outside = (uintptr_t)pcs[i];
		if (x.dli_fname && (!strncmp(x.dli_fname, "/lib", 4) || !strncmp(x.dli_fname, "/usr/lib", 8)))
			continue;
		outside = (uintptr_t)pcs[i];
		break;
	}
	if (outside) {
		k.origin = UL_ORIGIN_INIT;
		k.key = outside;
	}
	return k;
}

static struct start *prepare(const pthread_attr_t *attr, uint32_t event_class)
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
		s->event_class = event_class;
		if (attr && pthread_attr_getsigmask_np(attr, &m) == 0)
			memcpy(&s->sig_blocked, &m, sizeof s->sig_blocked);
	}
	return s;
}

/* A start routine started from several places (a trampoline that calls a
 * function pointer, or the one routine of a spawn() helper) would make
 * unrelated threads one class. Like a lock made through a wrapper, each
 * place of creation (the create call and its caller) is then a class of
 * its own; the first place keeps the routine's plain class. */
static struct ul_htab routines; /* routine -> first context, its class, its create call */
UL_STATIC_MUTEX(routines_lock);

static uintptr_t create_context(uintptr_t caller, uintptr_t *up)
{
	void *pcs[24];
	int n = backtrace(pcs, 24);
	*up = 0;
	for (int i = 0; i + 1 < n; i++)
		if ((uintptr_t)pcs[i] == caller) {
			*up = (uintptr_t)pcs[i + 1];
			break;
		}
	return ul_hash64(caller ^ ul_hash64(*up));
}

static uint32_t routine_class(struct thread_key k, uintptr_t caller)
{
	ul_htab_init_once(&routines, &routines_lock, 64, 0, NULL);
	uintptr_t up;
	uintptr_t ctx = create_context(caller, &up);
	uint64_t hk = (uint64_t)k.key << 2 | k.origin, v[3] = { ctx, 0, caller };
	if (ul_htab_get_or_put(&routines, hk, v) < 0 || v[0] == ctx) {
		uint32_t id = ul_class_for_key(k.origin, k.key, UL_KIND_THREAD, NULL);
		if (!v[1] && v[0] == ctx)
			ul_htab_set(&routines, hk, 1, id);
		return id;
	}
	uint32_t id = ul_class_for_site(k.origin, ul_hash64(k.key ^ ctx) | 1, k.key, UL_KIND_THREAD);
	struct ul_class *c = ul_class_get(id), *first = ul_class_get((uint32_t)v[1]);
	if (c && c->key != k.key && !c->split) {
		/* named by its create call, or by the caller of a shared one */
		c->caller = v[2] == caller && up ? up : caller;
		c->split = true;
		atomic_store(&c->shared, true);
	}
	if (first)
		atomic_store(&first->shared, true);
	return id;
}

/* The class of a thread about to start at fn, or 0. */
static uint32_t thread_class(uintptr_t fn, uintptr_t caller)
{
	if (atomic_load(&ul_init_state) != 2 || !ul_rt.opt.wait_check || !atomic_load(&ul_rt.enabled))
		return 0;
	struct ul_thread *t = ul_enter();
	if (!t)
		return 0;
	int e = errno;
	struct thread_key k = thread_key_of(fn, caller);
	/* a library's thread: classed by the frame that asked for it */
	uint32_t c = routine_class(k, k.origin == UL_ORIGIN_KEY ? caller : k.key);
	ul_leave(t);
	errno = e;
	return c;
}

/* The new thread's handle names its class until it is joined. */
static void created(uintptr_t handle, uint32_t event_class)
{
	if (!event_class)
		return;
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	int e = errno;
	ul_lock_register_class((const void *)handle, UL_KIND_THREAD, UL_ORIGIN_KEY, event_class);
	ul_leave(t);
	errno = e;
}

INTERCEPTOR(int, pthread_create, (pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg))
{
	if (!HAVE_REAL(pthread_create))
		ul_resolve_reals();
	uint32_t ec = thread_class((uintptr_t)fn, UL_IP);
	struct start *s = prepare(attr, ec);
	if (!s)
		return REAL(pthread_create)(th, attr, fn, arg);
	s->fn = fn;
	s->arg = arg;
	int r = REAL(pthread_create)(th, attr, ul_thread_start, s);
	if (r)
		start_free(s);
	else
		created((uintptr_t)*th, ec);
	return r;
}

INTERCEPTOR(int, thrd_create, (thrd_t *th, thrd_start_t fn, void *arg))
{
	if (!HAVE_REAL(thrd_create))
		ul_resolve_reals();
	uint32_t ec = thread_class((uintptr_t)fn, UL_IP);
	struct start *s = prepare(NULL, ec);
	if (!s)
		return REAL(thrd_create)(th, fn, arg);
	s->c11fn = fn;
	s->arg = arg;
	int r = REAL(thrd_create)(th, ul_c11_thread_start, s);
	if (r != thrd_success)
		start_free(s);
	else
		created((uintptr_t)*th, ec);
	return r;
}

INTERCEPTOR(void, pthread_exit, (void *ret))
{
	finish(UL_IP);
	REAL(pthread_exit)(ret);
	__builtin_unreachable();
}

/* Joining: held locks -> the joined thread's class. Returns the thread. */
static struct ul_thread *join_begin(uintptr_t th, uintptr_t ip, unsigned flags)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return NULL;
	int e = errno;
	struct ul_lock l;
	uint32_t ec = ul_rt.opt.wait_check && ul_lock_get((const void *)th, &l) && l.kind == UL_KIND_THREAD
			      ? l.class_id : 0;
	ul_event_join(t, ec, th, ip, flags);
	ul_event_wait_note(t, (const void *)th, ec, true);
	ul_leave(t);
	errno = e;
	return t;
}

struct join_wait {
	pthread_t th;
	void **ret;
};

static bool join_step(void *arg, const struct timespec *dl, int *r)
{
	struct join_wait *w = arg;
	*r = REAL(pthread_clockjoin_np)(w->th, w->ret, CLOCK_MONOTONIC, dl);
	return *r != ETIMEDOUT;
}

/* A join that lasts checks the wait-for graph (joiner -> joined thread). */
static int join_block(struct ul_thread *t, pthread_t th, void **ret, uintptr_t ip)
{
	if (!t || !ul_rt.opt.deadlock_detect || !HAVE_REAL(pthread_clockjoin_np))
		return REAL(pthread_join)(th, ret);
	ul_event_block(t, (const void *)th, UL_KIND_THREAD, ip);
	struct join_wait w = { th, ret };
	int r = ul_wait_loop(t, CLOCK_MONOTONIC, join_step, &w);
	ul_event_unblock(t);
	return r;
}

/* A joined thread's handle stops naming it: the memory may hold anything
 * next. */
static void joined(struct ul_thread *t, uintptr_t th, int r)
{
	if (r || !t || !ul_rt.opt.wait_check || ul_enter() != t)
		return;
	int e = errno;
	ul_event_woken(t, false); /* the thread's exit, produced while the locks were held */
	ul_event_forget((const void *)th);
	struct ul_lock l;
	if (ul_lock_get((const void *)th, &l) && l.kind == UL_KIND_THREAD)
		ul_lock_kill((const void *)th);
	ul_leave(t);
	errno = e;
}

INTERCEPTOR(int, pthread_join, (pthread_t th, void **ret))
{
	UL_NEED_REAL(pthread_join);
	struct ul_thread *t = join_begin((uintptr_t)th, UL_IP, 0);
	int r = join_block(t, th, ret, UL_IP);
	joined(t, (uintptr_t)th, r);
	return r;
}

INTERCEPTOR(int, pthread_timedjoin_np, (pthread_t th, void **ret, const struct timespec *ts))
{
	UL_NEED_REAL(pthread_timedjoin_np);
	struct ul_thread *t = join_begin((uintptr_t)th, UL_IP, UL_EVW_TIMED);
	int r = REAL(pthread_timedjoin_np)(th, ret, ts);
	joined(t, (uintptr_t)th, r);
	return r;
}

INTERCEPTOR(int, pthread_clockjoin_np, (pthread_t th, void **ret, clockid_t clk, const struct timespec *ts))
{
	UL_NEED_REAL(pthread_clockjoin_np);
	struct ul_thread *t = join_begin((uintptr_t)th, UL_IP, UL_EVW_TIMED);
	int r = REAL(pthread_clockjoin_np)(th, ret, clk, ts);
	joined(t, (uintptr_t)th, r);
	return r;
}

INTERCEPTOR(int, thrd_join, (thrd_t th, int *res))
{
	UL_NEED_REAL(thrd_join);
	struct ul_thread *t = join_begin((uintptr_t)th, UL_IP, 0);
	if (t)
		ul_event_block(t, (const void *)th, UL_KIND_THREAD, UL_IP);
	int r = REAL(thrd_join)(th, res);
	if (t)
		ul_event_unblock(t);
	joined(t, (uintptr_t)th, r != thrd_success);
	return r;
}
