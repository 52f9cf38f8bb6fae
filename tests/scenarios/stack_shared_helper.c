/* Stack locals taken through a shared helper: lk(a, b) takes a then b.
 * h1's local l is taken as lk(&l, &g), h2's (same frame layout, same
 * address) as lk(&g, &l). The frame that takes both is lk, so comparing
 * the taking frame would keep h1's identity for h2's lock: a FALSE cycle.
 * The frame that OWNS the address (h1, then h2) differs: new identity. */
// expect: none
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
void *volatile sink;

static __attribute__((noinline)) void lk(pthread_mutex_t *a, pthread_mutex_t *b)
{
	L(a);
	L(b);
	U(b);
	U(a);
}

static __attribute__((noinline)) void h1(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	lk(&l, &g);
}

static __attribute__((noinline)) void h2(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	sink = &l;
	lk(&g, &l);
}

int main(void)
{
	h1();
	h2();
	return 0;
}
