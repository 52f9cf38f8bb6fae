/* The init_wrappers option takes a comma-separated list of globs. Here
 * the list is "no_such_fn,make_lo?k": the first entry matches nothing,
 * the second matches make_lock() only through the glob. Same program as
 * wrap_custom_collapse.c: with the wrapper recognised, the cache and
 * connection locks are two classes and there is no cycle. */
// expect: none
// options: init_wrappers=no_such_fn,make_lo?k
#include "scenario.h"

pthread_mutex_t lock_X = PTHREAD_MUTEX_INITIALIZER;

struct cache {
	pthread_mutex_t lock;
};
struct conn {
	pthread_mutex_t lock;
};

static pthread_mutex_t *make_lock(pthread_mutex_t *m)
{
	CHECK(pthread_mutex_init(m, NULL) == 0);
	return m;
}

static struct cache *cache_new(void)
{
	struct cache *c = calloc(1, sizeof *c);
	CHECK(c != NULL);
	make_lock(&c->lock);
	return c;
}

static struct conn *conn_new(void)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c != NULL);
	make_lock(&c->lock);
	return c;
}

static void *fill_cache(void *arg)
{
	struct cache *c = arg;
	CHECK(L(&lock_X) == 0);
	CHECK(L(&c->lock) == 0);
	CHECK(U(&c->lock) == 0);
	CHECK(U(&lock_X) == 0);
	return NULL;
}

static void *close_conn(void *arg)
{
	struct conn *c = arg;
	CHECK(L(&c->lock) == 0);
	CHECK(L(&lock_X) == 0);
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
	return 0;
}
