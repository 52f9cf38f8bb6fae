/* Two levels of init wrappers: util_mutex_init() (matches "*mutex_init*")
 * is called by util_rec_mutex_init() (matches "*mutex_init*" too), which
 * the project calls from cache_new() and conn_new(). The class must come
 * from the first caller outside every wrapper, so the cache and connection
 * locks stay two classes, and   lock_X -> cache   with   conn -> lock_X
 * is no cycle: no report. Both locks are recursive (re-entered once). */
// expect: none
#include "scenario.h"

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

#define WRAP_INIT(m) util_rec_mutex_init(m)
#define WRAP_DEPTH 2
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
