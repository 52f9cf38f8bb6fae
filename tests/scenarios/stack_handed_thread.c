/* A stack lock handed to another thread. t1 takes its local l then g;
 * later t2's local l, at the same address, is passed to a new thread that
 * takes g then l. That thread cannot tell which frame owns the address, so
 * the lock lends no history across threads: new identity, no cycle. */
// expect: none
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
void *volatile sink;

static void *thr(void *p)
{
	L(&g);
	L(p);
	U(p);
	U(&g);
	return NULL;
}

static __attribute__((noinline)) void t1(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	L(&l);
	L(&g);
	U(&g);
	U(&l);
}

static __attribute__((noinline)) void t2(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	pthread_t t;
	CHECK(pthread_create(&t, NULL, thr, &l) == 0);
	pthread_join(t, NULL);
}

int main(void)
{
	t1();
	t2();
	return 0;
}
