/* Memory freed and reused by an unrelated lock must not lend the old lock
 * its history: the first lock (never passed to init) is taken before
 * global_lock, the one at the same address later is taken after it. */
// expect: none
#include "scenario.h"

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

struct a { pthread_mutex_t m; char pad[8]; };
struct b { pthread_mutex_t m; char other[8]; };

int main(void)
{
	struct a *x = malloc(sizeof *x);
	x->m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	L(&x->m);
	L(&global_lock);
	U(&global_lock);
	U(&x->m);
	void *old = x;
	free(x);
	struct b *y = malloc(sizeof *y);
	CHECK((void *)y == old); /* the test means something only on reuse */
	y->m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	L(&global_lock);
	L(&y->m);
	U(&y->m);
	U(&global_lock);
	free(y);
	return 0;
}
