/* The producer's window must see locks taken on the fast path. The late
 * signaller takes outer_lock once (a new chain for its thread: the slow
 * path), restarts its window with a wait that does not block, and takes
 * outer_lock again: now its chain and lock are cached, so that acquisition
 * is the fast path's alone. Only it puts outer_lock in the window of the
 * signal that follows. */
// expect: wait outer_lock data_ready
// options: wait_check=1
// stderr: signal(data_ready) after taking outer_lock
#include "scenario.h"
#include <semaphore.h>

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static sem_t token;
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

static void *late_signaller(void *arg)
{
	(void)arg;
	L(&outer_lock);
	U(&outer_lock);
	sem_post(&token);
	sem_wait(&token); /* a wait: the window starts empty */
	L(&outer_lock);   /* cached chain: the fast path */
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
	CHECK(sem_init(&token, 0, 0) == 0);
	L(&outer_lock);
	L(&data_lock);
	pthread_create(&t, NULL, signaller, NULL);
	while (!ready)
		pthread_cond_wait(&data_ready, &data_lock);
	U(&data_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	on_thread(late_signaller, NULL);
	CHECK(ready == 2);
	return 0;
}
