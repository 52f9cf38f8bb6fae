/* stack_reuse.c, many times over: the stack-owner walk learns the frames
 * and steps them without the unwinder from the second round on. Each call
 * of before_global() and after_global() finds the other's lock at the same
 * address, owned by another function: a new identity every time, no cycle.
 * A lock reached through a deep chain of helpers (deep_take) belongs to the
 * frame that holds it, and an alloca frame's local lock is found in it. The
 * real inversion in invert() is still found. */
// expect: circular lock@invert
#include <alloca.h>
#include "scenario.h"

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static void *seen;
volatile char sink;

static __attribute__((noinline)) void before_global(void)
{
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
	CHECK(!seen || (void *)&local == seen);
	seen = &local;
	L(&local);
	L(&global_lock);
	U(&global_lock);
	U(&local);
}

static __attribute__((noinline)) void after_global(void)
{
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
	CHECK((void *)&local == seen); /* the test means something only on reuse */
	L(&global_lock);
	L(&local);
	U(&local);
	U(&global_lock);
}

/* take m under global_lock, d frames down */
static __attribute__((noinline)) void deep_take(pthread_mutex_t *m, int d)
{
	if (d > 0) {
		deep_take(m, d - 1);
		sink = (char)d;
		return;
	}
	L(&global_lock);
	L(m);
	U(m);
	U(&global_lock);
}

/* its local, taken only through deep_take, is ordered global_lock -> it */
static __attribute__((noinline)) void deep_owner(void)
{
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
	for (int i = 0; i < 3; i++)
		deep_take(&local, 40);
}

/* an alloca frame's local, ordered local -> global_lock */
static __attribute__((noinline)) void alloca_owner(size_t n)
{
	char *p = alloca(n);
	memset(p, 0, n);
	sink = p[0];
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
	L(&local);
	L(&global_lock);
	U(&global_lock);
	U(&local);
}

static __attribute__((noinline)) void invert(void)
{
	pthread_mutex_t inv_a = PTHREAD_MUTEX_INITIALIZER, inv_b = PTHREAD_MUTEX_INITIALIZER;
	L(&inv_a);
	L(&inv_b);
	U(&inv_b);
	U(&inv_a);
	L(&inv_b);
	L(&inv_a);
	U(&inv_a);
	U(&inv_b);
}

int main(void)
{
	for (int i = 0; i < 20; i++) {
		before_global();
		after_global();
	}
	for (int i = 0; i < 8; i++) {
		deep_owner();
		alloca_owner(32 + (size_t)i * 200);
	}
	invert();
	return 0;
}
