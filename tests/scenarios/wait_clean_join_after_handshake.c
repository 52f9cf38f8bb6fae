/* Clean: a worker takes table_lock, posts 'ready' and finishes; main waits
 * for 'ready', then joins the worker with table_lock held. The worker's
 * exit comes after the post main was woken by, and table_lock was taken
 * before it: the worker is past the lock when main holds it. A handshake
 * ends the joined thread's exit window (docs/design.md). Before that rule
 * this reported wait table_lock thread:worker. */
// expect: none
#include <semaphore.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t ready;
static int table;

static void *worker(void *arg)
{
	(void)arg;
	L(&table_lock);
	table++;
	U(&table_lock);
	sem_post(&ready);
	return NULL;
}

int main(void)
{
	sem_init(&ready, 0, 0);
	for (int i = 0; i < 3; i++) {
		pthread_t t;
		pthread_create(&t, NULL, worker, NULL);
		sem_wait(&ready);
		L(&table_lock);
		pthread_join(t, NULL);
		U(&table_lock);
	}
	CHECK(table == 3);
	return 0;
}
