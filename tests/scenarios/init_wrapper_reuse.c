/* A lock re-made at the same address and site keeps its class only while
 * its memory lives (destroy and init again: the same object's lock). Here
 * the connection is destroyed and freed, and the stats object malloc'd in
 * its place makes its lock through the same init wrapper from another
 * function: a new role, not a re-init. conn -> g and g -> stats: no cycle. */
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

struct obj { pthread_mutex_t mu; long n; };

static __attribute__((noinline)) struct obj *conn_new(void)
{
	struct obj *c = malloc(sizeof *c);
	CHECK(c);
	make_recursive(&c->mu);
	return c;
}

static __attribute__((noinline)) struct obj *stats_new(void)
{
	struct obj *s = malloc(sizeof *s);
	CHECK(s);
	make_recursive(&s->mu);
	return s;
}

int main(void)
{
	struct obj *c = conn_new();
	L(&c->mu);
	L(&g);
	U(&g);
	U(&c->mu);
	pthread_mutex_destroy(&c->mu);
	free(c);
	struct obj *s = stats_new();
	printf("same address: %d\n", (void *)s == (void *)c);
	L(&g);
	L(&s->mu);
	U(&s->mu);
	U(&g);
	return 0;
}
