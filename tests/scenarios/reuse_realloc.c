/* realloc() that moves a block frees the old one: a lock in it ends. The
 * lock in the first block (never initialised) is taken before
 * global_lock; the block moves, malloc() hands the old address out again,
 * and an unrelated lock there is taken after global_lock. No cycle. */
// expect: none
#include "scenario.h"

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

struct a { pthread_mutex_t m; char pad[24]; };
struct b { pthread_mutex_t m; char other[24]; };

int main(void)
{
	struct a *x = malloc(sizeof *x);
	x->m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	L(&x->m);
	L(&global_lock);
	U(&global_lock);
	U(&x->m);
	void *old = x;
	void *grown = realloc(x, 1 << 20); /* too big to grow in place */
	CHECK(grown && grown != old);
	struct b *y = malloc(sizeof *y);
	CHECK((void *)y == old); /* the test means something only on reuse */
	y->m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	L(&global_lock);
	L(&y->m);
	U(&y->m);
	U(&global_lock);
	free(y);
	free(grown);
	return 0;
}
