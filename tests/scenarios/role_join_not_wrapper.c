/* Two roles taken through one lock wrapper are not one role: queue locks
 * (queue_new) and cache locks (cache_new) are both taken by lock_checked()
 * (one line), a queue before a cache and another cache before another
 * queue: a class-level inversion, reported. A wrapper's line takes every
 * class, so it is no evidence that two classes are one; joined, the two
 * would be ordered by instance, and these four locks form no cycle. */
// expect: circular queue_new cache_new
#include "scenario.h"

struct queue {
	pthread_mutex_t m;
};
struct cache {
	pthread_mutex_t m;
};

static long calls;

/* a wrapper of the kind C programs have: counts and checks */
__attribute__((noinline)) static void lock_checked(pthread_mutex_t *m)
{
	calls++;
	if (pthread_mutex_lock(m) != 0)
		abort();
	if (calls < 0)
		fprintf(stderr, "impossible\n");
}

/* never initialised (calloc'd): classes by first use, which may join */
__attribute__((noinline)) static struct queue *queue_new(void)
{
	struct queue *q = calloc(1, sizeof *q);
	CHECK(q);
	L(&q->m);
	U(&q->m);
	return q;
}

__attribute__((noinline)) static struct cache *cache_new(void)
{
	struct cache *c = calloc(1, sizeof *c);
	CHECK(c);
	L(&c->m);
	U(&c->m);
	return c;
}

int main(void)
{
	/* two of each: the inversion is between roles, not between two
	 * locks, so only classes kept apart can show it */
	struct queue *q1 = queue_new(), *q2 = queue_new();
	struct cache *c1 = cache_new(), *c2 = cache_new();
	lock_checked(&q1->m);
	lock_checked(&c1->m);
	U(&c1->m);
	U(&q1->m);
	lock_checked(&c2->m);
	lock_checked(&q2->m);
	U(&q2->m);
	U(&c2->m);
	return 0;
}
