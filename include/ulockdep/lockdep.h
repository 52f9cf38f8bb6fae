/* Kernel-compatible lockdep annotations for userspace (<linux/lockdep.h>).
 *
 * Code shared with the Linux kernel keeps its lockdep annotations and
 * compiles unchanged; here they map onto the ulockdep annotation API
 * (<ulockdep.h>). Every call is a no-op when the runtime is not loaded.
 *
 * Differences from the kernel:
 *  - A "lock" argument is the address of the lock object itself (for
 *    example &dev->mutex, a pthread_mutex_t), not something with a dep_map.
 *  - struct mutex, spinlock_t, rw_semaphore and their lock functions are
 *    NOT defined here: they are the port's own types. mutex_lock_nested()
 *    takes a pthread_mutex_t *, down_{read,write}_nested() a
 *    pthread_rwlock_t *. A port whose struct mutex wraps a pthread_mutex_t
 *    as its first member can define its own mutex_lock_nested() before
 *    including this header; the assertions work on its address as is.
 *  - lockdep_is_held() and friends answer for the calling thread, and are
 *    1 (unknown) when ulockdep is not running
 *    (the kernel's "unknown" is also true). Use lockdep_assert_held().
 *  - Class names follow the kernel: lockdep_set_class() names the class by
 *    #key, lockdep_set_subclass() and lockdep_set_novalidate_class() by
 *    #lock.
 *  - Not provided: might_lock_nested(), spin_lock_nested(), the irq-state
 *    assertions (lockdep_assert_irqs_*), lockdep_match_class(),
 *    lockdep_set_notrack_class(). See docs/api.md. */
#ifndef ULOCKDEP_LOCKDEP_H
#define ULOCKDEP_LOCKDEP_H

#include <stddef.h>

#include "../ulockdep.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SINGLE_DEPTH_NESTING 1
#define MAX_LOCKDEP_SUBCLASSES 8UL

/* A static object whose address names a lock class. */
struct lock_class_key {
	char __ulockdep_unused;
};

/* A pseudo-lock (work item, completion, state...), or the dep_map of a
 * custom lock. Same layout as struct ulockdep_map. */
struct lockdep_map {
	const char *name;
	struct lock_class_key *key;
};

#ifdef __cplusplus
static_assert(sizeof(struct lockdep_map) == sizeof(struct ulockdep_map), "lockdep_map layout");
#else
_Static_assert(sizeof(struct lockdep_map) == sizeof(struct ulockdep_map), "lockdep_map layout");
_Static_assert(offsetof(struct lockdep_map, key) == offsetof(struct ulockdep_map, key), "lockdep_map layout");
#endif

#define STATIC_LOCKDEP_MAP_INIT(_name, _key) { (_name), (struct lock_class_key *)(_key) }

ULOCKDEP_INLINE struct ulockdep_map *__ulockdep_kmap(struct lockdep_map *m)
{
	return (struct ulockdep_map *)(void *)m;
}

/* 'subclass' is ignored: as in the kernel, lock_acquire() passes the
 * subclass of each acquisition. */
ULOCKDEP_INLINE void lockdep_init_map(struct lockdep_map *lock, const char *name,
				      struct lock_class_key *key, int subclass)
{
	(void)subclass;
	lock->name = name;
	lock->key = key;
	/* re-initialising with another key moves the map to that class */
	if (__ulockdep_set_class)
		__ulockdep_set_class(lock, key ? (const void *)key : (const void *)name, name, 0);
}

/* Dynamic keys need no registration: any address names a class. */
ULOCKDEP_INLINE void lockdep_register_key(struct lock_class_key *key) { (void)key; }
ULOCKDEP_INLINE void lockdep_unregister_key(struct lock_class_key *key) { (void)key; }

/* Any lock pointer, also a volatile pthread_spinlock_t *. */
#define __ulockdep_lk(l) ((const void *)(l))

/* ---- assertions: a failure is a report of kind "assert" ---- */
#define lockdep_assert_held(l)          ulockdep_assert_held(__ulockdep_lk(l))
#define lockdep_assert_held_once(l)     ulockdep_assert_held(__ulockdep_lk(l))
#define lockdep_assert_not_held(l)      ulockdep_assert_not_held(__ulockdep_lk(l))
#define lockdep_assert_held_read(l)     ulockdep_assert_held_read(__ulockdep_lk(l))
#define lockdep_assert_held_write(l)    ulockdep_assert_held_write(__ulockdep_lk(l))
#define lockdep_assert_none_held_once() ulockdep_assert_none_held()
#define debug_check_no_locks_held()     ulockdep_assert_none_held()

/* Whether this thread holds the lock; 1 when ulockdep is not running. */
#define lockdep_is_held(l)              ulockdep_is_held(__ulockdep_lk(l))
#define lockdep_is_held_type(l, r)      ulockdep_is_held_type(__ulockdep_lk(l), (r))
#define lock_is_held(m)                 ulockdep_is_held(__ulockdep_lk(m))

/* ---- classes ---- */
#define lockdep_set_class(lock, key)                    ulockdep_set_class(__ulockdep_lk(lock), (key), #key)
#define lockdep_set_class_and_name(lock, key, name)     ulockdep_set_class(__ulockdep_lk(lock), (key), (name))

/* The kernel's lock init on pthread objects: a class per call site, named
 * by the lock expression ("&dev->mutex"). A port maps its own names onto
 * them (#define mutex_init ulockdep_mutex_init). ulockdep_init_rwsem()
 * makes a writer-preferring rwlock, whose readers queue behind a waiting
 * writer like an rw_semaphore's (needs _GNU_SOURCE). */
#define ulockdep_mutex_init(m)                                                   \
	do {                                                                     \
		static struct lock_class_key __ulockdep_init_key;               \
		pthread_mutex_init((m), NULL);                                   \
		lockdep_set_class_and_name((m), &__ulockdep_init_key, #m);       \
	} while (0)
#define ulockdep_spin_lock_init(l)                                               \
	do {                                                                     \
		static struct lock_class_key __ulockdep_init_key;               \
		pthread_spin_init((l), PTHREAD_PROCESS_PRIVATE);                 \
		lockdep_set_class_and_name((l), &__ulockdep_init_key, #l);       \
	} while (0)
#define ulockdep_init_rwsem(sem)                                                 \
	do {                                                                     \
		static struct lock_class_key __ulockdep_init_key;               \
		pthread_rwlockattr_t __ulockdep_attr;                            \
		pthread_rwlockattr_init(&__ulockdep_attr);                       \
		pthread_rwlockattr_setkind_np(&__ulockdep_attr,                  \
					      PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP); \
		pthread_rwlock_init((sem), &__ulockdep_attr);                    \
		lockdep_set_class_and_name((sem), &__ulockdep_init_key, #sem);   \
	} while (0)
#define lockdep_set_class_and_subclass(lock, key, sub)  ulockdep_set_subclass(__ulockdep_lk(lock), (key), #key, (sub))
/* Keeps the lock's class, changes the subclass every acquisition uses
 * (the runtime support for a NULL key is pending: docs/api.md). */
#define lockdep_set_subclass(lock, sub)                 ulockdep_set_subclass(__ulockdep_lk(lock), NULL, #lock, (sub))
/* Tracked as held (assertions work), never validated: the kernel's
 * dev->mutex. Locks marked at one site share a class named #lock. */
#define lockdep_set_novalidate_class(lock)                                    \
	do {                                                                  \
		static struct lock_class_key __ulockdep_novalidate_key;       \
		ulockdep_set_class(__ulockdep_lk(lock), &__ulockdep_novalidate_key, #lock); \
		ulockdep_set_novalidate(__ulockdep_lk(lock));                 \
	} while (0)

/* ---- nesting ---- */
#ifndef mutex_lock_nested
#define mutex_lock_nested(m, subclass)  ulockdep_mutex_lock_nested((m), (subclass))
#endif
#ifndef down_read_nested
#define down_read_nested(rw, subclass)  ulockdep_rwlock_rdlock_nested((rw), (subclass))
#endif
#ifndef down_write_nested
#define down_write_nested(rw, subclass) ulockdep_rwlock_wrlock_nested((rw), (subclass))
#endif

/* ---- switching validation off for this thread (nests) ---- */
ULOCKDEP_INLINE void lockdep_off(void) { ulockdep_off(); }
ULOCKDEP_INLINE void lockdep_on(void) { ulockdep_on(); }

/* ---- might_lock: record "held locks -> lock" without taking it ---- */
#define might_lock(lock)       ulockdep_might_lock(__ulockdep_lk(lock))
#define might_lock_read(lock)  ulockdep_might_lock_read(__ulockdep_lk(lock))

/* ---- pseudo-locks and custom locks with a dep_map ---- */
#ifndef _THIS_IP_
#define _THIS_IP_ ((unsigned long)ULOCKDEP_CALLER)
#endif
#ifndef _RET_IP_
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#endif

/* read: 0 exclusive, 1 shared (non-recursive), 2 shared recursive. */
ULOCKDEP_INLINE void __ulockdep_kacquire(struct lockdep_map *m, unsigned subclass, int trylock, int read,
					 const void *ip)
{
	if (__ulockdep_map_acquire)
		__ulockdep_map_acquire(__ulockdep_kmap(m), read, trylock, subclass, ip);
}

ULOCKDEP_INLINE void __ulockdep_krelease(struct lockdep_map *m, const void *ip)
{
	if (__ulockdep_map_release)
		__ulockdep_map_release(__ulockdep_kmap(m), ip);
}

/* 'check' and 'nest_lock' are accepted and ignored. */
#define lock_acquire(l, s, t, r, c, n, i) __ulockdep_kacquire((l), (s), (t), (r), (const void *)(i))
#define lock_release(l, i)                __ulockdep_krelease((l), (const void *)(i))
#define lock_acquire_exclusive(l, s, t, n, i)        lock_acquire(l, s, t, 0, 1, n, i)
#define lock_acquire_shared(l, s, t, n, i)           lock_acquire(l, s, t, 1, 1, n, i)
#define lock_acquire_shared_recursive(l, s, t, n, i) lock_acquire(l, s, t, 2, 1, n, i)

#define spin_acquire(l, s, t, i)        lock_acquire_exclusive(l, s, t, NULL, i)
#define spin_release(l, i)              lock_release(l, i)
#define rwlock_acquire(l, s, t, i)      lock_acquire_exclusive(l, s, t, NULL, i)
#define rwlock_acquire_read(l, s, t, i) lock_acquire_shared_recursive(l, s, t, NULL, i)
#define rwlock_release(l, i)            lock_release(l, i)
#define mutex_acquire(l, s, t, i)       lock_acquire_exclusive(l, s, t, NULL, i)
#define mutex_release(l, i)             lock_release(l, i)
#define rwsem_acquire(l, s, t, i)       lock_acquire_exclusive(l, s, t, NULL, i)
#define rwsem_acquire_read(l, s, t, i)  lock_acquire_shared(l, s, t, NULL, i)
#define rwsem_release(l, i)             lock_release(l, i)

#define lock_map_acquire(l)         __ulockdep_kacquire((l), 0, 0, 0, ULOCKDEP_CALLER)
#define lock_map_acquire_read(l)    __ulockdep_kacquire((l), 0, 0, 2, ULOCKDEP_CALLER)
#define lock_map_acquire_tryread(l) __ulockdep_kacquire((l), 0, 1, 2, ULOCKDEP_CALLER)
#define lock_map_acquire_try(l)     __ulockdep_kacquire((l), 0, 1, 0, ULOCKDEP_CALLER)
#define lock_map_release(l)         __ulockdep_krelease((l), ULOCKDEP_CALLER)

/* ---- waits and events (the spellings of DEPT's simple dependency
 * tracker, the out-of-tree successor of crossrelease): ev is any object's
 * address ---- */
#define sdt_might_sleep_start(ev) ulockdep_wait_begin(ev)
#define sdt_might_sleep_end(ev)   ulockdep_wait_end(ev)
#define sdt_wait(ev)              do { ulockdep_wait_begin(ev); ulockdep_wait_end(ev); } while (0)
#define sdt_event(ev)             ulockdep_event(ev)

/* ---- held-lock dumps: every thread's held locks ---- */
ULOCKDEP_INLINE void debug_show_all_locks(void) { ulockdep_show_held_locks(); }
#define debug_show_held_locks(task) ((void)(task), ulockdep_show_held_locks())

#ifdef __cplusplus
}
#endif
#endif
