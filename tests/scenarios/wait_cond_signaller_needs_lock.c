/* A thread waits on a condition variable while holding outer_lock; the
 * thread that signals it takes outer_lock first. Here the two never meet
 * (the signal that takes the lock comes later), but the day the signaller
 * reaches outer_lock while the waiter sleeps, neither moves again. */
// expect: wait outer_lock data_ready
// options: wait_check=1
// stderr: WARNING: possible deadlock through a wait detected
// stderr: signal(data_ready) after taking outer_lock
// stderr: wait(data_ready) with outer_lock held
#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static int ready;

static void *signaller(void *arg)
{
	(void)arg;
	L(&data_lock);
	ready = 1;
	pthread_cond_signal(&data_ready);
	U(&data_lock);
	return NULL;
}

static void *signaller_with_lock(void *arg)
{
	(void)arg;
	L(&outer_lock); /* the signaller needs outer_lock before it signals */
	U(&outer_lock);
	L(&data_lock);
	ready = 2;
	pthread_cond_signal(&data_ready);
	U(&data_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	L(&outer_lock);
	L(&data_lock);
	pthread_create(&t, NULL, signaller, NULL);
	while (!ready)
		pthread_cond_wait(&data_ready, &data_lock);
	U(&data_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	on_thread(signaller_with_lock, NULL);
	CHECK(ready == 2);
	return 0;
}
