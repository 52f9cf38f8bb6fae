/* wrap_custom_collapse.c run with the option  init_wrappers=make_lock :
 * the wrapper named in the option is skipped like a built-in one, so the
 * cache lock gets the class of its caller (cache_new) and the connection
 * lock that of conn_new. lock_X -> cache and conn -> lock_X are then two
 * unrelated orders: no report. */
// expect: none
// options: init_wrappers=make_lock
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
