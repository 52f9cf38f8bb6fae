/* munmap() ends the identity of the locks in the mapping. A lock in an
 * anonymous mapping (never initialised) is taken before global_lock;
 * the mapping goes, a new one lands at the same address, and an unrelated
 * lock there is taken after global_lock. Without the munmap() interposer
 * the second lock inherits the first one's class: a false cycle. */
// expect: none
#include "scenario.h"
#include <sys/mman.h>

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

static void *map_at(void *hint)
{
	void *p = mmap(hint, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | (hint ? MAP_FIXED_NOREPLACE : 0), -1, 0);
	CHECK(p != MAP_FAILED);
	return p;
}

static void first_role(pthread_mutex_t *m)
{
	L(m);
	L(&global_lock);
	U(&global_lock);
	U(m);
}

static void second_role(pthread_mutex_t *m)
{
	L(&global_lock);
	L(m);
	U(m);
	U(&global_lock);
}

int main(void)
{
	void *p = map_at(NULL);
	first_role(p);
	CHECK(munmap(p, 4096) == 0);
	void *q = map_at(p);
	CHECK(q == p); /* the test means something only on reuse */
	second_role(q);
	return 0;
}
