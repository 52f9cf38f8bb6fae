/* mmap(MAP_FIXED) over a live mapping replaces its memory without a
 * munmap: a lock there (taken lock -> g) must not lend its history to the
 * lock at the same address in the new mapping (taken g -> lock). */
// expect: none
#include <sys/mman.h>
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;

static __attribute__((noinline)) void take(pthread_mutex_t *x, int first)
{
	if (first) {
		L(x);
		L(&g);
		U(&g);
		U(x);
	} else {
		L(&g);
		L(x);
		U(x);
		U(&g);
	}
}

int main(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	take(p, 1);
	void *q = mmap(p, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	CHECK(q == p);
	take(q, 0);
	return 0;
}
