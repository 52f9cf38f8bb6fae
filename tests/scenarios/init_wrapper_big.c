/* An init wrapper over 40 bytes whose name says nothing about locks:
 * make_recursive() sets up an attribute and initialises a recursive mutex.
 * Every lock is made at its pthread_mutex_init() call; keyed by that site
 * alone, the connection lock and the stats lock would be one class and
 * conn -> g, g -> stats a FALSE cycle. The site serves two calling
 * functions (conn_new, stats_new): each gets its own class. */
// expect: none
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;

static __attribute__((noinline)) void make_recursive(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
	CHECK(pthread_mutex_init(m, &a) == 0);
	pthread_mutexattr_destroy(&a);
}

struct conn { pthread_mutex_t mu; };
struct stats { pthread_mutex_t mu; };

static __attribute__((noinline)) struct conn *conn_new(void)
{
	struct conn *c = malloc(sizeof *c);
	CHECK(c);
	make_recursive(&c->mu);
	return c;
}

static __attribute__((noinline)) struct stats *stats_new(void)
{
	struct stats *s = malloc(sizeof *s);
	CHECK(s);
	make_recursive(&s->mu);
	return s;
}

int main(void)
{
	struct conn *c = conn_new();
	struct stats *s = stats_new();
	L(&c->mu);
	L(&g);
	U(&g);
	U(&c->mu);
	L(&g);
	L(&s->mu);
	U(&s->mu);
	U(&g);
	return 0;
}
