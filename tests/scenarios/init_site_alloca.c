/* A role frame whose size changes from call to call (alloca): a frame
 * distance learnt from one call is wrong for the next, so the init-site
 * walk must not trust it. make_buf() makes a lock after an alloca of a
 * varying size, for fill_a() and then for fill_b(); their locks are two
 * classes (fill_a orders lock -> g, fill_b g -> lock: no cycle), and
 * fill_b's real inversion with h is found. */
// expect: circular h
// stderr: from fill_b
#include <alloca.h>
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, h = PTHREAD_MUTEX_INITIALIZER;
volatile char sink;

static __attribute__((noinline)) void make_buf(pthread_mutex_t *m, size_t n)
{
	char *p = alloca(n);
	memset(p, 1, n);
	sink = p[n - 1];
	CHECK(pthread_mutex_init(m, NULL) == 0);
}

static __attribute__((noinline)) void fill_a(void)
{
	for (int i = 0; i < 40; i++) {
		pthread_mutex_t m;
		make_buf(&m, 16 + (size_t)(i % 7) * 48);
		L(&m);
		L(&g);
		U(&g);
		U(&m);
		pthread_mutex_destroy(&m);
	}
}

static __attribute__((noinline)) void fill_b(void)
{
	for (int i = 0; i < 40; i++) {
		pthread_mutex_t *m = malloc(sizeof *m);
		CHECK(m);
		make_buf(m, 16 + (size_t)(i % 5) * 80);
		L(&g);
		L(m);
		U(m);
		U(&g);
		if (i == 39) {
			L(m);
			L(&h);
			U(&h);
			U(m);
			L(&h);
			L(m);
			U(m);
			U(&h);
		}
		pthread_mutex_destroy(m);
		free(m);
	}
}

int main(void)
{
	fill_a();
	fill_b();
	return 0;
}
