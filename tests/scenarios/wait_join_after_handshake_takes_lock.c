/* Bug twin of wait_clean_join_after_handshake: the worker posts 'ready'
 * first and takes table_lock after it, so the handshake proves nothing:
 * had main taken table_lock before the worker, the join would never
 * return. (Here the worker gets the lock first.) */
// expect: wait table_lock thread
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t ready;
static int table;
static atomic_int done;

static void *worker(void *arg)
{
	(void)arg;
	sem_post(&ready);
	L(&table_lock);
	table++;
	U(&table_lock);
	atomic_store(&done, 1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	sem_init(&ready, 0, 0);
	pthread_create(&t, NULL, worker, NULL);
	sem_wait(&ready);
	while (!atomic_load(&done))
		sched_yield();
	L(&table_lock);
	pthread_join(t, NULL);
	U(&table_lock);
	CHECK(table == 1);
	return 0;
}
