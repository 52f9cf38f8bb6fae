// An allocator that must not be re-entered and takes a lock on its own
// stack (never initialised). The runtime once looked up the thread's stack
// bounds on such a lock path with pthread_getattr_np, which allocates: the
// allocator was re-entered (redis with jemalloc crashed). Nothing on a lock
// path may allocate.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static __thread int inside;

static void enter(void)
{
	if (inside++) {
		static const char msg[] = "allocator re-entered\n";
		fwrite(msg, 1, sizeof msg - 1, stderr);
		abort();
	}
	pthread_mutex_t guard = PTHREAD_MUTEX_INITIALIZER; /* on this stack */
	pthread_mutex_lock(&guard);
	pthread_mutex_unlock(&guard);
}

static void leave(void)
{
	inside--;
}

void *malloc(size_t n)
{
	enter();
	void *p = __libc_malloc(n);
	leave();
	return p;
}

void *calloc(size_t a, size_t b)
{
	enter();
	void *p = __libc_calloc(a, b);
	leave();
	return p;
}

void *realloc(void *q, size_t n)
{
	enter();
	void *p = __libc_realloc(q, n);
	leave();
	return p;
}

void free(void *p)
{
	__libc_free(p);
}

static void *worker(void *arg)
{
	char *s = malloc(32);
	snprintf(s, 32, "worker %ld", (long)arg);
	puts(s);
	free(s);
	return NULL;
}

int main(void)
{
	char *s = strdup("main");
	puts(s);
	free(s);
	pthread_t t;
	pthread_create(&t, NULL, worker, (void *)1L);
	pthread_join(t, NULL);
	return 0;
}
