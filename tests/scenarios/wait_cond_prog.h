/* The program of wait_cond_signaller_needs_lock and its option twins: the
 * only signaller of data_ready takes outer_lock on its way to the signal;
 * main waits on data_ready holding outer_lock. Here the signaller got
 * outer_lock first; had main taken it first, neither would move again. */
#ifndef WAIT_COND_PROG_H
#define WAIT_COND_PROG_H
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static int ready, waiting;
static atomic_int passed;

static void *signaller(void *arg)
{
	(void)arg;
	L(&outer_lock); /* the signaller needs outer_lock before it signals */
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

#endif
