/* The producer's window must see locks taken on the fast path. The only
 * signaller of data_ready takes outer_lock twice (its chain is then
 * cached), restarts its window with a wait that does not block, and takes
 * outer_lock once more: that acquisition is the fast path's alone, and
 * only it puts outer_lock in the window of the signal that ends main's
 * wait. Main waits holding outer_lock: had it taken outer_lock first,
 * neither would move again. */
// expect: wait outer_lock data_ready
// options: wait_check=1
// stderr: signal(data_ready) after taking outer_lock
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static sem_t token;
static int ready, waiting;
static atomic_int passed;

static void *signaller(void *arg)
{
	(void)arg;
	for (int i = 0; i < 2; i++) {
		L(&outer_lock);
		U(&outer_lock);
	}
	sem_post(&token);
	sem_wait(&token); /* a wait: the window starts empty */
	L(&outer_lock);   /* cached chain: the fast path */
	U(&outer_lock);
	atomic_store(&passed, 1);
	L(&data_lock);
	while (!waiting) { /* main sets it and sleeps in one hold of data_lock */
		U(&data_lock);
		sched_yield();
		L(&data_lock);
	}
	ready = 1;
	pthread_cond_signal(&data_ready);
	U(&data_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(sem_init(&token, 0, 0) == 0);
	pthread_create(&t, NULL, signaller, NULL);
	while (!atomic_load(&passed))
		sched_yield();
	L(&outer_lock);
	L(&data_lock);
	waiting = 1;
	while (!ready)
		pthread_cond_wait(&data_ready, &data_lock);
	U(&data_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	CHECK(ready == 1);
	return 0;
}
