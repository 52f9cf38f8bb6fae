/* madvise(MADV_DONTNEED) drops a page's contents: a lock made there
 * afterwards is a new object, as after munmap. The first lock at page p is
 * taken before g_lock (role b); after the advice, the lock at p is taken
 * after g_lock (role a). Different objects: no cycle. Before, the lock at
 * p kept the old identity and class, and a cycle was reported. */
// expect: none
#include "scenario.h"

#include <sys/mman.h>

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void role_b(pthread_mutex_t *m)
{
	L(m);
	L(&g_lock);
	U(&g_lock);
	U(m);
}

__attribute__((noinline)) static void role_a(pthread_mutex_t *m)
{
	L(&g_lock);
	L(m);
	U(m);
	U(&g_lock);
}

int main(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(p != MAP_FAILED);
	role_b(p);
	CHECK(madvise(p, 4096, MADV_DONTNEED) == 0);
	CHECK(*(int *)p == 0); /* the page reads as zeros again */
	role_a(p);
	return 0;
}
