/* A malloc that initialises itself under a lock and makes a condvar there
 * (jemalloc does: redis hung at start-up). The runtime finds the real
 * functions while the program's malloc may be in that very init: resolving
 * must never fail a lookup (libdl's error message is malloc'ed), or the
 * nested pthread_cond_init runs the lookup again, mallocs again, and takes
 * the init lock a second time. */
// expect: none
// options: wait_check=1
#include <stdint.h>

#include "scenario.h"

static pthread_mutex_t init_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t init_cv;
static int inited;
static _Alignas(16) char heap[1 << 24];
static size_t used;

static void heap_init(void)
{
	pthread_mutex_lock(&init_lock);
	if (!inited) {
		pthread_cond_init(&init_cv, NULL);
		inited = 1;
	}
	pthread_mutex_unlock(&init_lock);
}

void *malloc(size_t n)
{
	if (!inited)
		heap_init();
	size_t at = __atomic_fetch_add(&used, (n + 15) & ~(size_t)15, __ATOMIC_RELAXED);
	return at + n <= sizeof heap ? heap + at : NULL;
}

void free(void *p)
{
	(void)p;
}

void *calloc(size_t n, size_t size)
{
	return malloc(n * size); /* the heap is zero and never reused */
}

void *realloc(void *p, size_t n)
{
	char *q = malloc(n);
	if (q && p)
		memcpy(q, p, n); /* may read past the old block: it is all inside heap */
	return q;
}

static void *worker(void *arg)
{
	(void)arg;
	char *p = malloc(64);
	CHECK(p != NULL);
	return p;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	pthread_join(t, NULL);
	CHECK(inited);
	return 0;
}
