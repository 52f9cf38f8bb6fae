/* Locks on the stack that are never passed to an init function
 * (= PTHREAD_MUTEX_INITIALIZER locals) get no free() the runtime could
 * see. Two functions with the same frame put their local lock at the same
 * address: the first orders local -> global_lock, the second
 * global_lock -> local. The second use comes from another function while
 * the lock is unheld: a new identity, no cycle. The real inversion in
 * invert() (two locals of one frame, taken both ways) is still found (locals are named by their first use: lock@invert+0x..). */
// expect: circular lock@invert
#include "scenario.h"

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
static void *seen;

static __attribute__((noinline)) void before_global(void)
{
	pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
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
	before_global();
	after_global();
	invert();
	return 0;
}
