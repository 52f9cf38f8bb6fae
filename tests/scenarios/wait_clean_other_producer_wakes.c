/* Clean: main waits on data_ready holding outer_lock and is woken by a
 * signaller that never takes outer_lock. Another signaller of data_ready
 * takes outer_lock first, but main never depends on it: were it blocked
 * on outer_lock while main waits, the first signaller would still wake
 * main. The completed wait is the evidence: a producer that did not need
 * outer_lock woke a waiter holding it, so data_ready -> outer_lock does
 * not close a cycle through that wait (docs/design.md, "Evidence").
 * Before the evidence rule this reported wait outer_lock data_ready. */
// expect: none
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
