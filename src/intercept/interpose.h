/* How events enter: interposed libc symbols. LD_PRELOAD mode defines the
 * libc names and finds the real ones with dlsym(RTLD_NEXT); wrap mode
 * (static linking with -Wl,--wrap=NAME) defines __wrap_NAME and calls
 * __real_NAME. */
#ifndef UL_INTERPOSE_H
#define UL_INTERPOSE_H
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <semaphore.h>
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>
#include <threads.h>
#include <time.h>

#include "../core/core.h"

#define UL_IP ((uintptr_t)__builtin_return_address(0))

#define UL_REAL_LIST(X) \
	X(int, pthread_mutex_init, (pthread_mutex_t *, const pthread_mutexattr_t *)) \
	X(int, pthread_mutex_destroy, (pthread_mutex_t *)) \
	X(int, pthread_mutex_lock, (pthread_mutex_t *)) \
	X(int, pthread_mutex_trylock, (pthread_mutex_t *)) \
	X(int, pthread_mutex_timedlock, (pthread_mutex_t *, const struct timespec *)) \
	X(int, pthread_mutex_clocklock, (pthread_mutex_t *, clockid_t, const struct timespec *)) \
	X(int, pthread_mutex_unlock, (pthread_mutex_t *)) \
	X(int, pthread_rwlock_init, (pthread_rwlock_t *, const pthread_rwlockattr_t *)) \
	X(int, pthread_rwlock_destroy, (pthread_rwlock_t *)) \
	X(int, pthread_rwlock_rdlock, (pthread_rwlock_t *)) \
	X(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *)) \
	X(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t *, const struct timespec *)) \
	X(int, pthread_rwlock_clockrdlock, (pthread_rwlock_t *, clockid_t, const struct timespec *)) \
	X(int, pthread_rwlock_wrlock, (pthread_rwlock_t *)) \
	X(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *)) \
	X(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t *, const struct timespec *)) \
	X(int, pthread_rwlock_clockwrlock, (pthread_rwlock_t *, clockid_t, const struct timespec *)) \
	X(int, pthread_rwlock_unlock, (pthread_rwlock_t *)) \
	X(int, pthread_spin_init, (pthread_spinlock_t *, int)) \
	X(int, pthread_spin_destroy, (pthread_spinlock_t *)) \
	X(int, pthread_spin_lock, (pthread_spinlock_t *)) \
	X(int, pthread_spin_trylock, (pthread_spinlock_t *)) \
	X(int, pthread_spin_unlock, (pthread_spinlock_t *)) \
	X(int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *)) \
	X(int, pthread_cond_timedwait, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *)) \
	X(int, pthread_cond_clockwait, (pthread_cond_t *, pthread_mutex_t *, clockid_t, const struct timespec *)) \
	X(int, pthread_cond_init, (pthread_cond_t *, const pthread_condattr_t *)) \
	X(int, pthread_cond_destroy, (pthread_cond_t *)) \
	X(int, pthread_cond_signal, (pthread_cond_t *)) \
	X(int, pthread_cond_broadcast, (pthread_cond_t *)) \
	X(int, sem_init, (sem_t *, int, unsigned)) \
	X(int, sem_destroy, (sem_t *)) \
	X(int, sem_wait, (sem_t *)) \
	X(int, sem_trywait, (sem_t *)) \
	X(int, sem_timedwait, (sem_t *__restrict, const struct timespec *__restrict)) \
	X(int, sem_clockwait, (sem_t *__restrict, clockid_t, const struct timespec *__restrict)) \
	X(int, sem_post, (sem_t *)) \
	X(int, pthread_barrier_init, (pthread_barrier_t *__restrict, const pthread_barrierattr_t *__restrict, unsigned)) \
	X(int, pthread_barrier_destroy, (pthread_barrier_t *)) \
	X(int, pthread_barrier_wait, (pthread_barrier_t *)) \
	X(int, pthread_once, (pthread_once_t *, void (*)(void))) \
	X(void, call_once, (once_flag *, void (*)(void))) \
	X(int, pthread_join, (pthread_t, void **)) \
	X(int, pthread_timedjoin_np, (pthread_t, void **, const struct timespec *)) \
	X(int, pthread_clockjoin_np, (pthread_t, void **, clockid_t, const struct timespec *)) \
	X(int, pthread_create, (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *)) \
	X(void, pthread_exit, (void *)) \
	X(int, pthread_sigmask, (int, const sigset_t *, sigset_t *)) \
	X(int, sigprocmask, (int, const sigset_t *, sigset_t *)) \
	X(int, sigaction, (int, const struct sigaction *, struct sigaction *)) \
	X(void, siglongjmp, (struct __jmp_buf_tag *, int)) \
	X(void, longjmp, (struct __jmp_buf_tag *, int)) \
	X(void, _longjmp, (struct __jmp_buf_tag *, int)) \
	X(void, __longjmp_chk, (struct __jmp_buf_tag *, int)) \
	X(int, setcontext, (const ucontext_t *)) \
	X(int, swapcontext, (ucontext_t *__restrict, const ucontext_t *__restrict)) \
	X(int, mtx_init, (mtx_t *, int)) \
	X(void, mtx_destroy, (mtx_t *)) \
	X(int, mtx_lock, (mtx_t *)) \
	X(int, mtx_trylock, (mtx_t *)) \
	X(int, mtx_timedlock, (mtx_t *__restrict, const struct timespec *__restrict)) \
	X(int, mtx_unlock, (mtx_t *)) \
	X(int, cnd_wait, (cnd_t *, mtx_t *)) \
	X(int, cnd_timedwait, (cnd_t *__restrict, mtx_t *__restrict, const struct timespec *__restrict)) \
	X(int, cnd_init, (cnd_t *)) \
	X(void, cnd_destroy, (cnd_t *)) \
	X(int, cnd_signal, (cnd_t *)) \
	X(int, cnd_broadcast, (cnd_t *)) \
	X(int, thrd_create, (thrd_t *, thrd_start_t, void *)) \
	X(int, thrd_join, (thrd_t, int *)) \
	X(void, free, (void *)) \
	X(void *, realloc, (void *, size_t)) \
	X(int, munmap, (void *, size_t)) \
	X(int, madvise, (void *, size_t, int)) \
	X(void *, mmap, (void *, size_t, int, int, int, off_t)) \
	X(void *, mmap64, (void *, size_t, int, int, int, off64_t)) \
	X(void *, shmat, (int, const void *, int)) \
	X(int, shmdt, (const void *)) \
	X(void *, mremap, (void *, size_t, size_t, int, ...)) \
	X(int, dlclose, (void *)) \
	X(size_t, malloc_usable_size, (void *))

#ifdef UL_WRAP_MODE
#define INTERCEPTOR(ret, name, args) ret __wrap_##name args
#define REAL(name) __real_##name
#define HAVE_REAL(name) 1
#define UL_DECL_REAL(ret, name, args) ret __real_##name args;
UL_REAL_LIST(UL_DECL_REAL)
#else
#define INTERCEPTOR(ret, name, args) __attribute__((visibility("default"))) ret name args
#define REAL(name) ul_real.name
#define HAVE_REAL(name) (ul_real.name != NULL)
#define UL_DECL_PTR(ret, name, args) ret(*name) args;
struct ul_real_fns {
	UL_REAL_LIST(UL_DECL_PTR)
};
extern struct ul_real_fns ul_real;
#endif

extern _Atomic int ul_init_state; /* 0 none, 1 running, 2 done */
void ul_resolve_reals(void);
/* An interceptor that may run before the runtime (another library's
 * constructor, or inside the lookup itself) finds its real function. */
#define UL_NEED_REAL(name)                         \
	do {                                       \
		if (unlikely(!HAVE_REAL(name)))    \
			ul_resolve_reals();        \
	} while (0)

/* Enter the runtime for one event; NULL means "pass straight through". */
static inline struct ul_thread *ul_enter(void)
{
	if (unlikely(atomic_load_explicit(&ul_init_state, memory_order_acquire) != 2)) {
#ifndef UL_WRAP_MODE
		/* a library constructor before ours: start now (a static binary
		 * waits for the constructor, after its unwind tables exist) */
		ul_runtime_init();
#endif
		if (atomic_load(&ul_init_state) != 2)
			return NULL;
	}
	struct ul_thread *t = ul_self;
	if (unlikely(!t)) {
		t = ul_thread_get();
		if (!t)
			return NULL;
	}
	/* not t->stop: its lstat byte only keeps the fast path away */
	if (unlikely(t->busy || t->off || t->ctx_untracked ||
		     !atomic_load_explicit(&ul_rt.enabled, memory_order_relaxed)))
		return NULL;
	if (unlikely(t->ctx))
		ul_ctx_left_check(t);
	t->busy = 1;
	atomic_signal_fence(memory_order_seq_cst);
	return t;
}

static inline void ul_leave(struct ul_thread *t)
{
	atomic_signal_fence(memory_order_seq_cst);
	t->busy = 0;
}

/* glibc keeps the mutex type in __kind (public ABI layout). */
static inline uint8_t ul_mutex_type(const pthread_mutex_t *m)
{
	switch (m->__data.__kind & 3) {
	case PTHREAD_MUTEX_RECURSIVE_NP:
		return UL_MUTEX_RECURSIVE;
	case PTHREAD_MUTEX_ERRORCHECK_NP:
		return UL_MUTEX_ERRORCHECK;
	default:
		return UL_MUTEX_NORMAL;
	}
}

/* Robust, priority-inheritance, priority-protect and process-shared mutexes
 * (glibc's __kind bits 16, 32, 64, 128): trylock has side effects there (a
 * robust mutex in the not-recoverable state stays owned after a failed
 * trylock; PI trylock enters the kernel), so the runtime never probes them
 * and their lock calls go straight to glibc (no wait-for tracking). */
static inline bool ul_mutex_no_probe(const pthread_mutex_t *m)
{
	return (m->__data.__kind & (16 | 32 | 64 | 128)) != 0;
}

/* Neither readers nor a writer hold it (glibc >= 2.25 layout). */
static inline bool ul_rwlock_free(const pthread_rwlock_t *rw)
{
	return rw->__data.__cur_writer == 0 && (rw->__data.__readers >> 3) == 0 &&
	       !(rw->__data.__readers & 2);
}

/* Process-shared (glibc layout: the mutex kind's pshared bit, the rwlock's
 * __shared word). */
static inline bool ul_mutex_pshared(const void *m)
{
	return (((const pthread_mutex_t *)m)->__data.__kind & 128) != 0;
}

static inline bool ul_rwlock_pshared(const void *rw)
{
	return ((const pthread_rwlock_t *)rw)->__data.__shared != 0;
}

/* A spin lock nobody holds. glibc's x86 spin locks count down from 1
 * (free) to 0 (held); its generic ones go from 0 to 1. */
static inline bool ul_spin_free(const pthread_spinlock_t *s)
{
#if defined(__x86_64__) || defined(__i386__)
	return __atomic_load_n(s, __ATOMIC_RELAXED) > 0;
#else
	return __atomic_load_n(s, __ATOMIC_RELAXED) == 0;
#endif
}

/* Two words glibc leaves unused in a lock object, where the fast path
 * caches the lock's identity (--lock-tags, core/fastpath.h), or NULL.
 * x86-64 glibc only: a mutex's robust-list pointers (__list) unless it is
 * robust, PI, PP, process-shared or elided (__kind above 3), and an
 * rwlock's __pad3/__pad4 and __pad2 words unless it is process-shared.
 * glibc's init clears both; the destroy interceptors clear them too. */
#if defined(__x86_64__) && !defined(__ILP32__) && defined(__GLIBC__)
_Static_assert(sizeof(pthread_mutex_t) == 40 && offsetof(pthread_mutex_t, __data.__list) == 24,
	       "glibc x86-64 mutex layout");
_Static_assert(sizeof(pthread_rwlock_t) == 56 && offsetof(pthread_rwlock_t, __data.__pad3) == 16 &&
		       offsetof(pthread_rwlock_t, __data.__pad2) == 40,
	       "glibc x86-64 rwlock layout");
static inline uint64_t *ul_mutex_tag(pthread_mutex_t *m)
{
	if (!ul_rt.opt.lock_tags || ((uintptr_t)m & 7) ||
	    (unsigned)__atomic_load_n(&m->__data.__kind, __ATOMIC_RELAXED) > 3)
		return NULL;
	return (uint64_t *)(void *)&m->__data.__list;
}
static inline uint64_t *ul_rwlock_tag(pthread_rwlock_t *rw)
{
	if (!ul_rt.opt.lock_tags || ((uintptr_t)rw & 7) || rw->__data.__shared)
		return NULL;
	return (uint64_t *)(void *)&rw->__data.__pad3;
}
#define UL_RWLOCK_TAG_W1(w) ((w) + 3) /* __pad2: 24 bytes after __pad3 */
#else
static inline uint64_t *ul_mutex_tag(pthread_mutex_t *m)
{
	(void)m;
	return NULL;
}
static inline uint64_t *ul_rwlock_tag(pthread_rwlock_t *rw)
{
	(void)rw;
	return NULL;
}
#define UL_RWLOCK_TAG_W1(w) ((w) + 3)
#endif

static inline bool ul_rwlock_writer_pref(const pthread_rwlock_t *rw)
{
	return rw->__data.__flags == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP;
}

/* Shared by the lock interceptors (lockops.c). */
void ul_lock_init_event(const void *lock, uint8_t kind, uint8_t mutex_type, bool writer_pref, uintptr_t ip);
void ul_lock_destroy_event(const void *lock, uintptr_t ip);
/* An unlock; free_now: the lock is free in memory (then an unlock of a
 * lock never seen, such as a static initialiser never locked, is bad). */
int ul_release_event_kind(const void *lock, uint8_t kind, bool free_now, uintptr_t ip);
/* Blocking waits go through trylock first and ul_wait_begin(): for the
 * deadlock check and for lock statistics (contentions). */
static inline bool ul_wait_tracked(void)
{
	return ul_rt.opt.deadlock_detect || ul_lstat_on;
}
/* Timeout for blocking waits before the wait-for graph is checked. */
void ul_wait_deadline(struct timespec *ts, clockid_t clk, long ms);
/* The one wait loop of every blocking call that is watched for real
 * deadlocks. step waits until the absolute deadline dl on clk and returns
 * true when the wait is over, its result in *r; after each time-out the
 * wait-for graph is checked (errno kept) and the next wait is longer. */
int ul_wait_loop(struct ul_thread *t, clockid_t clk, bool (*step)(void *arg, const struct timespec *dl, int *r),
		 void *arg);

#endif
