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

#define WRAP_INIT(m) my_mutex_init(m)
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
