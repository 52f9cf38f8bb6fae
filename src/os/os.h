/* Thin OS layer: raw syscalls, internal locks, page allocation.
 * Nothing here goes through an interposed symbol. */
#ifndef UL_OS_H
#define UL_OS_H
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define UL_TLS __attribute__((tls_model("initial-exec")))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define UL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Internal futex lock. Recursion by the owner is a bug; owner is kept so
 * fork handlers can tell who holds it. */
typedef struct {
	_Atomic int state;
	_Atomic int owner;
} ul_mutex_t;

/* The registry of runtime locks, so a fork child can reset every one (a
 * lock held by a thread that did not survive fork). Static locks are kept
 * in one ELF section; locks inside other objects (hash table segments, the
 * graph lock) are registered once when their object is set up. */
#define UL_STATIC_MUTEX(name) \
	static ul_mutex_t name __attribute__((section("ul_mutexes"), used, aligned(8)))
void ul_mutex_register(ul_mutex_t *m);
void ul_mutexes_reset_all(void);

void ul_mutex_lock(ul_mutex_t *m);
void ul_mutex_unlock(ul_mutex_t *m);
void ul_mutex_reset(ul_mutex_t *m);

int ul_gettid(void);   /* cached per thread */
void ul_tid_forget(void); /* in a fork child */
int ul_getpid(void);
void *ul_map(size_t size);           /* zeroed, NULL on failure */
void ul_unmap(void *p, size_t size);
void *ul_alloc(size_t size);         /* zeroed, permanent, 16-aligned */
uint64_t ul_now_ns(void);            /* CLOCK_MONOTONIC */
void ul_sleep_ms(int ms);
ssize_t ul_write_all(int fd, const void *buf, size_t len);
int ul_open_append(const char *path); /* -1 on failure */
int ul_open_read(const char *path);
ssize_t ul_read(int fd, void *buf, size_t len);
/* getenv that also works before libc has set up environ (a program's
 * .preinit_array starts the runtime that early): then the variable is
 * read from /proc/self/environ with system calls. */
const char *ul_getenv(const char *name);
void ul_close(int fd);
/* Is addr inside a loaded module (any segment)? Lock-free where glibc has
 * _dl_find_object (2.35+): it never takes the dynamic loader's lock, so it
 * is safe on every lock path and in signal handlers. */
bool ul_in_module(const void *addr);
/* The module's load bias and name ("" for the main program); false if addr
 * is in none. Same lock-free lookup. */
bool ul_module_of(const void *addr, uintptr_t *base, const char **name);

/* Block every signal; returns the old mask through *old (a sigset_t). */
void ul_block_signals(void *old);
void ul_restore_signals(const void *old);

#endif
