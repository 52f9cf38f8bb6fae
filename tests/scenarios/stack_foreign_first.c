/* A stack lock first taken by another thread: t2's local l is passed to a
 * new thread that takes g then l; later t1's local l, at the same address,
 * is taken l then g by the thread whose stack it is on. The first identity
 * was made where no frame could own it, so it lends no history: new
 * identity, no cycle. */
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

static __attribute__((noinline)) void t2(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	pthread_t t;
	CHECK(pthread_create(&t, NULL, thr, &l) == 0);
	pthread_join(t, NULL);
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

int main(void)
{
	t2();
	t1();
	return 0;
}
