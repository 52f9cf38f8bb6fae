/* Two levels of init wrappers: util_mutex_init() (matches "*mutex_init*")
 * is called by util_rec_mutex_init() (matches "*mutex_init*" too), which
 * the project calls from cache_new() and conn_new(). The class must come
 * from the first caller outside every wrapper, so the cache and connection
 * locks stay two classes, and   lock_X -> cache   with   conn -> lock_X
 * is no cycle: no report. Both locks are recursive (re-entered once). */
// expect: none
#include "scenario.h"

pthread_mutex_t lock_X = PTHREAD_MUTEX_INITIALIZER;

struct cache {
	pthread_mutex_t lock;
};
struct conn {
	pthread_mutex_t lock;
};

static int util_mutex_init(pthread_mutex_t *m, int type)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, type) == 0);
	int r = pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	return r;
}

static int util_rec_mutex_init(pthread_mutex_t *m)
{
	return util_mutex_init(m, PTHREAD_MUTEX_RECURSIVE);
}

static struct cache *cache_new(void)
{
	struct cache *c = calloc(1, sizeof *c);
	CHECK(c && util_rec_mutex_init(&c->lock) == 0);
	return c;
}

static struct conn *conn_new(void)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && util_rec_mutex_init(&c->lock) == 0);
	return c;
}

static void *fill_cache(void *arg)
{
	struct cache *c = arg;
	CHECK(L(&lock_X) == 0);
	CHECK(L(&c->lock) == 0);
	CHECK(L(&c->lock) == 0);
	CHECK(U(&c->lock) == 0);
	CHECK(U(&c->lock) == 0);
	CHECK(U(&lock_X) == 0);
	return NULL;
}

static void *close_conn(void *arg)
{
	struct conn *c = arg;
	CHECK(L(&c->lock) == 0);
	CHECK(L(&c->lock) == 0);
	CHECK(L(&lock_X) == 0);
	CHECK(U(&lock_X) == 0);
	CHECK(U(&c->lock) == 0);
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
