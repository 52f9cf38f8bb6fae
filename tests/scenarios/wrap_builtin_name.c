/* A project's own init wrapper, my_mutex_init(), whose name matches the
 * built-in pattern "*mutex_init*". Both lock types of the program are
 * made through it: the cache lock (cache_new) and the connection lock
 * (conn_new). The order is   lock_X -> cache lock   on one path and
 * conn lock -> lock_X   on another: two different classes, no cycle.
 * If the class came from the init call INSIDE the wrapper, cache and conn
 * locks would collapse into one class and lock_X -> C -> lock_X would be a
 * false cycle (what liblockdep does). ulockdep charges the init to the
 * wrapper's caller: no report. */
// expect: none
#include "scenario.h"

pthread_mutex_t lock_X = PTHREAD_MUTEX_INITIALIZER;

struct cache {
	pthread_mutex_t lock;
	int entries;
};

struct conn {
	pthread_mutex_t lock;
	int state;
};

/* The wrapper: every lock of the project is made here. */
static int my_mutex_init(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL) == 0);
	int r = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return r;
}

static struct cache *cache_new(void)
{
	struct cache *c = calloc(1, sizeof *c);
	CHECK(c && my_mutex_init(&c->lock) == 0);
	return c;
}

static struct conn *conn_new(void)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && my_mutex_init(&c->lock) == 0);
	return c;
}

static void *fill_cache(void *arg)
{
	struct cache *c = arg;
	CHECK(L(&lock_X) == 0);
	CHECK(L(&c->lock) == 0);
	c->entries++;
	CHECK(U(&c->lock) == 0);
	CHECK(U(&lock_X) == 0);
	return NULL;
}

static void *close_conn(void *arg)
{
	struct conn *c = arg;
	CHECK(L(&c->lock) == 0);
	CHECK(L(&lock_X) == 0);
	c->state = 0;
	CHECK(U(&lock_X) == 0);
	CHECK(U(&c->lock) == 0);
	return NULL;
}

int main(void)
{
	struct cache *c = cache_new();
	struct conn *k = conn_new();
	on_thread(fill_cache, c);
	on_thread(close_conn, k);
	CHECK(c->entries == 1);
	return 0;
}
