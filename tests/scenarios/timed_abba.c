/* Timed locks are ordered like blocking ones. */
// expect: circular cache_lock index_lock
#include "scenario.h"

#include <time.h>

pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER, index_lock = PTHREAD_MUTEX_INITIALIZER;

static int timed(pthread_mutex_t *m)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	return pthread_mutex_timedlock(m, &ts);
}

static void *t1(void *arg)
{
	(void)arg;
	L(&cache_lock);
	CHECK(timed(&index_lock) == 0);
	U(&index_lock);
	U(&cache_lock);
	return NULL;
}

static void *t2(void *arg)
{
	(void)arg;
	L(&index_lock);
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += 5;
	CHECK(pthread_mutex_clocklock(&cache_lock, CLOCK_MONOTONIC, &ts) == 0);
	U(&cache_lock);
	U(&index_lock);
	return NULL;
}

int main(void)
{
	on_thread(t1, NULL);
	on_thread(t2, NULL);
	return 0;
}
