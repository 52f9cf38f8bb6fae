/* The textbook cancellation-safe condvar wait: a thread cancelled inside
 * pthread_cond_wait gets the mutex back from glibc and unlocks it in its
 * cleanup handler. Balanced: silent. */
// expect: none
#include "scenario.h"

static pthread_mutex_t cv_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int waiting;

static void unlock(void *p)
{
	pthread_mutex_unlock(p);
}

static void *waiter(void *a)
{
	pthread_mutex_lock(&cv_mutex);
	pthread_cleanup_push(unlock, &cv_mutex);
	waiting = 1;
	for (;;)
		pthread_cond_wait(&cv, &cv_mutex);
	pthread_cleanup_pop(1);
	return a;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	while (!waiting)
		usleep(1000);
	usleep(50000);
	pthread_cancel(t);
	void *ret;
	pthread_join(t, &ret);
	CHECK(ret == PTHREAD_CANCELED);
	L(&cv_mutex);
	U(&cv_mutex);
	return 0;
}
