/* An init wrapper whose name matches none of the built-in patterns:
 * make_lock(). Every lock of the program is made inside it, so without
 * being told, the only init site is the pthread_mutex_init() call in
 * make_lock: the cache lock and the connection lock collapse into ONE
 * class "make_lock+0x.. (file:line)". Then
 *     lock_X -> cache lock     and     conn lock -> lock_X
 * read as lock_X -> C -> lock_X: a FALSE cycle. This is the liblockdep
 * failure mode (it never solved wrappers), documented here as the
 * expected verdict without the option; wrap_custom_option.c runs the same
 * program with init_wrappers=make_lock and must be silent. */
// expect: circular lock_X make_lock
// stderr: (make_lock+0x
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
