/* Clean: a worker takes table_lock, then sets 'ready' and signals it under
 * ready_lock; main finds 'ready' set (here it never has to wait), then
 * joins the worker with table_lock held. When the join begins the worker
 * has already produced its signal, which came after table_lock: it is past
 * the lock. The handshake is read from the joined thread itself, so it
 * holds whether or not main slept in the wait (docs/design.md). Before that
 * rule this reported wait table_lock thread. */
// expect: none
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER, ready_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int table, ready;
static atomic_int signalled;

static void *worker(void *arg)
{
	(void)arg;
	L(&table_lock);
	table++;
	U(&table_lock);
	L(&ready_lock);
	ready++;
	pthread_cond_signal(&ready_cond);
	U(&ready_lock);
	atomic_fetch_add(&signalled, 1);
	return NULL;
}

int main(void)
{
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_create(&t, NULL, worker, NULL);
		while (atomic_load(&signalled) <= i)
			sched_yield();
		L(&ready_lock);
		while (ready <= i)
			pthread_cond_wait(&ready_cond, &ready_lock);
		U(&ready_lock);
		L(&table_lock);
		pthread_join(t, NULL);
		U(&table_lock);
	}
	CHECK(table == 2);
	return 0;
}
