/* The program of the wrap_* scenarios: a cache and a connection, each
 * with one lock made through the project's init wrapper WRAP_INIT(m)
 * (0 on success), which the including file may define first. By default
 * it is prepare_field(), a wrapper nothing detects: its name says nothing
 * about locks and it is too big to be a mere forwarder.
 *
 * wrap_run(): fill_cache() orders lock_X -> cache lock, close_conn() conn
 * lock -> lock_X, each on its own thread; a cycle only if the two locks
 * share a class. Each lock is taken WRAP_DEPTH times (default 1; more for
 * recursive mutexes). */
#ifndef WRAP_H
#define WRAP_H
#include "scenario.h"

#ifndef WRAP_INIT
static int prepare_field(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL) == 0);
	int r = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return r;
}
#define WRAP_INIT(m) prepare_field(m)
#endif
#ifndef WRAP_DEPTH
#define WRAP_DEPTH 1
#endif

pthread_mutex_t lock_X = PTHREAD_MUTEX_INITIALIZER;

struct cache {
	pthread_mutex_t lock;
	int entries;
};

struct conn {
	pthread_mutex_t lock;
	int state;
};

static struct cache *cache_new(void)
{
	struct cache *c = calloc(1, sizeof *c);
	CHECK(c && WRAP_INIT(&c->lock) == 0);
	return c;
}

static struct conn *conn_new(void)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && WRAP_INIT(&c->lock) == 0);
	return c;
}

static void *fill_cache(void *arg)
{
	struct cache *c = arg;
	CHECK(L(&lock_X) == 0);
	for (int i = 0; i < WRAP_DEPTH; i++)
		CHECK(L(&c->lock) == 0);
	c->entries++;
	for (int i = 0; i < WRAP_DEPTH; i++)
		CHECK(U(&c->lock) == 0);
	CHECK(U(&lock_X) == 0);
	return NULL;
}

static void *close_conn(void *arg)
{
	struct conn *c = arg;
	for (int i = 0; i < WRAP_DEPTH; i++)
		CHECK(L(&c->lock) == 0);
	CHECK(L(&lock_X) == 0);
	c->state = 0;
	CHECK(U(&lock_X) == 0);
	for (int i = 0; i < WRAP_DEPTH; i++)
		CHECK(U(&c->lock) == 0);
	return NULL;
}

static int wrap_run(void)
{
	struct cache *c = cache_new();
	struct conn *k = conn_new();
	on_thread(fill_cache, c);
	on_thread(close_conn, k);
	CHECK(c->entries == 1);
	return 0;
}

#endif
