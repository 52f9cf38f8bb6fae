/* Positive control for wrap_builtin_name.c: the class of a lock made
 * through my_mutex_init() is named by the wrapper's caller. A real ABBA
 * between the cache lock (made in cache_new via the wrapper) and lock_Y
 * must be reported with the cache lock named "cache_new+0x.. (file:line)",
 * not "my_mutex_init+0x..". The connection lock (conn_new, same wrapper)
 * is taken under lock_Y too but only in one order: it must not be dragged
 * into the cycle. */
// expect: circular cache_new lock_Y
// stderr: (cache_new+0x
#include "scenario.h"

pthread_mutex_t lock_Y = PTHREAD_MUTEX_INITIALIZER;

static int my_mutex_init(pthread_mutex_t *m)
{
	return pthread_mutex_init(m, NULL);
}

#define WRAP_INIT(m) my_mutex_init(m)
#include "wrap.h"

int main(void)
{
	struct cache *c = cache_new();
	struct conn *k = conn_new();
	struct pair conn_under_y = { &lock_Y, &k->lock };
	struct pair cache_then_y = { &c->lock, &lock_Y };
	struct pair y_then_cache = { &lock_Y, &c->lock };
	on_thread(ordered, &conn_under_y);
	on_thread(ordered, &cache_then_y);
	on_thread(ordered, &y_then_cache);
	return 0;
}
