/* mremap() that moves a mapping gives up the old range: the locks there
 * end. A lock at the old address (never initialised) is taken before
 * global_lock; after the move, a new mapping at the old address holds an
 * unrelated lock taken after global_lock. No cycle. A shrink ends the
 * locks in the cut tail the same way. */
// expect: none
#include "scenario.h"
#include <sys/mman.h>

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

static void *map_at(void *hint, size_t len)
{
	void *p = mmap(hint, len, PROT_READ | PROT_WRITE,
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
	/* moved */
	char *p = map_at(NULL, 8192);
	char *dst = map_at(NULL, 8192);
	first_role((pthread_mutex_t *)p);
	char *moved = mremap(p, 8192, 8192, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	CHECK(moved == dst);
	char *again = map_at(p, 8192);
	CHECK(again == p);
	second_role((pthread_mutex_t *)again);

	/* shrunk: the lock in the second page goes with it */
	char *s = map_at(NULL, 8192);
	first_role((pthread_mutex_t *)(s + 4096));
	CHECK(mremap(s, 8192, 4096, 0) == s);
	char *tail = map_at(s + 4096, 4096);
	CHECK(tail == s + 4096);
	second_role((pthread_mutex_t *)tail);
	return 0;
}
