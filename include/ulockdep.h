/* ulockdep annotation API.
 *
 * Every function is declared weak and called through an inline wrapper, so
 * a program built against this header runs unchanged (and silently) when
 * ulockdep is not loaded; under ulockdep (LD_PRELOAD or -lulockdep) the
 * calls reach the validator. */
#ifndef ULOCKDEP_H
#define ULOCKDEP_H

#include <pthread.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ULOCKDEP_WEAK __attribute__((weak))

/* A pseudo-lock ("lock map"): acquired and released like a lock to model
 * waiting for a work item, a completion or a state. */
struct ulockdep_map {
	const char *name;
	const void *key;
};
#define ULOCKDEP_MAP_INIT(name) { (name), 0 }

/* A class key: a static object whose address names a class. */
struct ulockdep_class_key {
	char unused;
};

ULOCKDEP_WEAK int __ulockdep_active(void);
ULOCKDEP_WEAK void __ulockdep_assert(const void *lock, int what, const void *caller);
ULOCKDEP_WEAK void __ulockdep_set_class(const void *lock, const void *key, const char *name, unsigned subclass);
ULOCKDEP_WEAK void __ulockdep_set_novalidate(const void *lock);
ULOCKDEP_WEAK void __ulockdep_set_subclass(const void *lock, unsigned subclass);
ULOCKDEP_WEAK int __ulockdep_mutex_lock_nested(pthread_mutex_t *m, unsigned subclass, const void *caller);
ULOCKDEP_WEAK int __ulockdep_rwlock_lock_nested(pthread_rwlock_t *rw, int write, unsigned subclass, const void *caller);
ULOCKDEP_WEAK void __ulockdep_off(int off);
ULOCKDEP_WEAK void __ulockdep_might_lock(const void *lock, int read, const void *caller);
ULOCKDEP_WEAK void __ulockdep_map_acquire(struct ulockdep_map *m, int read, int trylock, unsigned subclass, const void *caller);
ULOCKDEP_WEAK void __ulockdep_map_release(struct ulockdep_map *m, const void *caller);
ULOCKDEP_WEAK void __ulockdep_context(int enter, int ctx);
ULOCKDEP_WEAK void __ulockdep_show_held_locks(void);
ULOCKDEP_WEAK int __ulockdep_is_held(const void *lock, int read);
ULOCKDEP_WEAK void __ulockdep_wait(const void *event, int begin, const void *caller);
ULOCKDEP_WEAK void __ulockdep_event(const void *event, const void *caller);

enum { ULOCKDEP_HELD, ULOCKDEP_NOT_HELD, ULOCKDEP_HELD_READ, ULOCKDEP_HELD_WRITE, ULOCKDEP_NONE_HELD };

/* The address of the annotated code (the kernel's _THIS_IP_). The label
 * must sit in the caller's own function: the calls below are macros that
 * take it there and hand it to an inline helper (clang will not inline a
 * function that takes a label's address). */
#define ULOCKDEP_CALLER ({ __label__ __ul_here; __ul_here: (const void *)((const char *)&&__ul_here + 1); })
#define ULOCKDEP_INLINE static inline __attribute__((always_inline, unused))

/* 1 when the validator is loaded and running. */
ULOCKDEP_INLINE int ulockdep_active(void) { return __ulockdep_active ? __ulockdep_active() : 0; }

/* Assertions: a failure is a report of kind "assert" at the caller. */
ULOCKDEP_INLINE void ulockdep_assert_held__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_assert) __ulockdep_assert(lock, ULOCKDEP_HELD, __ul_ip); }
#define ulockdep_assert_held(lock) ulockdep_assert_held__at((lock), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_assert_not_held__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_assert) __ulockdep_assert(lock, ULOCKDEP_NOT_HELD, __ul_ip); }
#define ulockdep_assert_not_held(lock) ulockdep_assert_not_held__at((lock), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_assert_held_read__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_assert) __ulockdep_assert(lock, ULOCKDEP_HELD_READ, __ul_ip); }
#define ulockdep_assert_held_read(lock) ulockdep_assert_held_read__at((lock), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_assert_held_write__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_assert) __ulockdep_assert(lock, ULOCKDEP_HELD_WRITE, __ul_ip); }
#define ulockdep_assert_held_write(lock) ulockdep_assert_held_write__at((lock), ULOCKDEP_CALLER)
/* The thread holds no locks at all (event-loop and request boundaries). */
ULOCKDEP_INLINE void ulockdep_assert_none_held__at(const void *__ul_ip)
{ if (__ulockdep_assert) __ulockdep_assert(0, ULOCKDEP_NONE_HELD, __ul_ip); }
#define ulockdep_assert_none_held() ulockdep_assert_none_held__at(ULOCKDEP_CALLER)

/* Does this thread hold 'lock'? read: -1 any mode, 0 exclusive, 1 shared.
 * 1 (unknown, as the kernel answers) when ulockdep is not running. */
ULOCKDEP_INLINE int ulockdep_is_held_type(const void *lock, int read)
{ return __ulockdep_is_held ? __ulockdep_is_held(lock, read) : 1; }
ULOCKDEP_INLINE int ulockdep_is_held(const void *lock) { return ulockdep_is_held_type(lock, -1); }

/* Classes: 'key' (any static object's address; NULL: the lock's own class)
 * names the class; locks with the same key share it. */
ULOCKDEP_INLINE void ulockdep_set_class(const void *lock, const void *key, const char *name)
{ if (__ulockdep_set_class) __ulockdep_set_class(lock, key, name, 0); }
ULOCKDEP_INLINE void ulockdep_set_name(const void *lock, const char *name)
{ if (__ulockdep_set_class) __ulockdep_set_class(lock, 0, name, 0); }
/* Every acquisition of 'lock' uses this subclass (0-7) of its class; with
 * key NULL the lock keeps its class, otherwise it moves to key's class. */
ULOCKDEP_INLINE void ulockdep_set_subclass(const void *lock, const void *key, const char *name, unsigned subclass)
{
	/* no key: keep the lock's class (kernel lockdep_set_subclass) */
	if (!key) {
		if (__ulockdep_set_subclass)
			__ulockdep_set_subclass(lock, subclass);
	} else if (__ulockdep_set_class) {
		__ulockdep_set_class(lock, key, name, subclass);
	}
}
ULOCKDEP_INLINE void ulockdep_set_novalidate(const void *lock)
{ if (__ulockdep_set_novalidate) __ulockdep_set_novalidate(lock); }

/* Take a lock with a nesting level (kernel mutex_lock_nested). */
ULOCKDEP_INLINE int ulockdep_mutex_lock_nested__at(pthread_mutex_t *m, unsigned subclass, const void *__ul_ip)
{ return __ulockdep_mutex_lock_nested ? __ulockdep_mutex_lock_nested(m, subclass, __ul_ip) : pthread_mutex_lock(m); }
#define ulockdep_mutex_lock_nested(m, subclass) ulockdep_mutex_lock_nested__at((m), (subclass), ULOCKDEP_CALLER)
ULOCKDEP_INLINE int ulockdep_rwlock_rdlock_nested__at(pthread_rwlock_t *rw, unsigned subclass, const void *__ul_ip)
{ return __ulockdep_rwlock_lock_nested ? __ulockdep_rwlock_lock_nested(rw, 0, subclass, __ul_ip) : pthread_rwlock_rdlock(rw); }
#define ulockdep_rwlock_rdlock_nested(rw, subclass) ulockdep_rwlock_rdlock_nested__at((rw), (subclass), ULOCKDEP_CALLER)
ULOCKDEP_INLINE int ulockdep_rwlock_wrlock_nested__at(pthread_rwlock_t *rw, unsigned subclass, const void *__ul_ip)
{ return __ulockdep_rwlock_lock_nested ? __ulockdep_rwlock_lock_nested(rw, 1, subclass, __ul_ip) : pthread_rwlock_wrlock(rw); }
#define ulockdep_rwlock_wrlock_nested(rw, subclass) ulockdep_rwlock_wrlock_nested__at((rw), (subclass), ULOCKDEP_CALLER)

/* Switch validation off and on for a stretch of code (this thread). */
ULOCKDEP_INLINE void ulockdep_off(void) { if (__ulockdep_off) __ulockdep_off(1); }
ULOCKDEP_INLINE void ulockdep_on(void) { if (__ulockdep_off) __ulockdep_off(0); }

/* Record the order "held locks -> lock" without taking it. */
ULOCKDEP_INLINE void ulockdep_might_lock__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_might_lock) __ulockdep_might_lock(lock, 0, __ul_ip); }
#define ulockdep_might_lock(lock) ulockdep_might_lock__at((lock), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_might_lock_read__at(const void *lock, const void *__ul_ip)
{ if (__ulockdep_might_lock) __ulockdep_might_lock(lock, 1, __ul_ip); }
#define ulockdep_might_lock_read(lock) ulockdep_might_lock_read__at((lock), ULOCKDEP_CALLER)

/* Pseudo-locks. */
ULOCKDEP_INLINE void ulockdep_map_init(struct ulockdep_map *m, const char *name, const void *key)
{ m->name = name; m->key = key; }
ULOCKDEP_INLINE void ulockdep_map_acquire__at(struct ulockdep_map *m, const void *__ul_ip)
{ if (__ulockdep_map_acquire) __ulockdep_map_acquire(m, 0, 0, 0, __ul_ip); }
#define ulockdep_map_acquire(m) ulockdep_map_acquire__at((m), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_map_acquire_read__at(struct ulockdep_map *m, const void *__ul_ip)
{ if (__ulockdep_map_acquire) __ulockdep_map_acquire(m, 2, 0, 0, __ul_ip); }
#define ulockdep_map_acquire_read(m) ulockdep_map_acquire_read__at((m), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_map_acquire_try__at(struct ulockdep_map *m, const void *__ul_ip)
{ if (__ulockdep_map_acquire) __ulockdep_map_acquire(m, 0, 1, 0, __ul_ip); }
#define ulockdep_map_acquire_try(m) ulockdep_map_acquire_try__at((m), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_map_release__at(struct ulockdep_map *m, const void *__ul_ip)
{ if (__ulockdep_map_release) __ulockdep_map_release(m, __ul_ip); }
#define ulockdep_map_release(m) ulockdep_map_release__at((m), ULOCKDEP_CALLER)

/* Simulated interrupt context (RTOS or kernel code tested on a host):
 * locks taken between enter and exit count as taken in a handler of
 * context 'ctx' (1-64; shares numbering with signals). */
ULOCKDEP_INLINE void ulockdep_context_enter(int ctx) { if (__ulockdep_context) __ulockdep_context(1, ctx); }
ULOCKDEP_INLINE void ulockdep_context_exit(int ctx) { if (__ulockdep_context) __ulockdep_context(0, ctx); }

/* Events of custom primitives (futex queues, eventfd, completions): any
 * object's address names an event. Wrap the blocking part in wait_begin/
 * wait_end; call ulockdep_event() where the event is produced (the
 * completion, the post, the wake-up). A wait while holding L and a producer
 * that takes L before the event is a report of kind "wait". The class is
 * the object's symbol for a global, else the site of its first use. The
 * object may begin with a lock: the two keep separate identities. */
ULOCKDEP_INLINE void ulockdep_wait_begin__at(const void *ev, const void *__ul_ip)
{ if (__ulockdep_wait) __ulockdep_wait(ev, 1, __ul_ip); }
#define ulockdep_wait_begin(ev) ulockdep_wait_begin__at((ev), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_wait_end__at(const void *ev, const void *__ul_ip)
{ if (__ulockdep_wait) __ulockdep_wait(ev, 0, __ul_ip); }
#define ulockdep_wait_end(ev) ulockdep_wait_end__at((ev), ULOCKDEP_CALLER)
ULOCKDEP_INLINE void ulockdep_event__at(const void *ev, const void *__ul_ip)
{ if (__ulockdep_event) __ulockdep_event(ev, __ul_ip); }
#define ulockdep_event(ev) ulockdep_event__at((ev), ULOCKDEP_CALLER)

/* Print all locks held by all threads. */
ULOCKDEP_INLINE void ulockdep_show_held_locks(void) { if (__ulockdep_show_held_locks) __ulockdep_show_held_locks(); }

#ifdef __cplusplus
}
#endif
#endif
