/* The program of wait_cond_signaller_needs_lock and its option twins: a thread
 * waits on data_ready holding outer_lock; a later signaller takes outer_lock first. */
#ifndef WAIT_COND_PROG_H
#define WAIT_COND_PROG_H
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

#endif
