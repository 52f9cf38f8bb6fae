/* The program of wait_timed_default and wait_timed_on: a timed wait under
 * outer_lock whose signaller needs outer_lock. */
#ifndef WAIT_TIMED_PROG_H
#define WAIT_TIMED_PROG_H
#include <time.h>

#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static int ready;

static void *signaller_with_lock(void *arg)
{
	(void)arg;
	L(&outer_lock);
	U(&outer_lock);
	L(&data_lock);
	ready = 1;
	pthread_cond_signal(&data_ready);
	U(&data_lock);
	return NULL;
}

int main(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	L(&outer_lock);
	L(&data_lock);
	pthread_cond_timedwait(&data_ready, &data_lock, &ts); /* the deadline has passed: returns at once */
	ready = 0;
	U(&data_lock);
	U(&outer_lock);
	on_thread(signaller_with_lock, NULL);
	CHECK(ready == 1);
	return 0;
}

#endif
