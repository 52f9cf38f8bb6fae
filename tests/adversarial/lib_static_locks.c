/* A library with its own static locks, taken in one order. */
#include <pthread.h>

static pthread_mutex_t lib_a = PTHREAD_MUTEX_INITIALIZER, lib_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lib_dyn;

int lib_work(pthread_mutex_t *outer);
int lib_work(pthread_mutex_t *outer)
{
	static int inited; /* under outer: the count is the same every run */
	pthread_mutex_lock(outer);
	if (!inited++)
		pthread_mutex_init(&lib_dyn, 0);
	int n = inited;
	pthread_mutex_lock(&lib_a);
	pthread_mutex_lock(&lib_b);
	pthread_mutex_lock(&lib_dyn);
	pthread_mutex_unlock(&lib_dyn);
	pthread_mutex_unlock(&lib_b);
	pthread_mutex_unlock(&lib_a);
	pthread_mutex_unlock(outer);
	return n;
}
