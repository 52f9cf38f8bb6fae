/* Bug twin of wait_clean_join_after_handshake, with the lock taken on both
 * sides of the handshake: the worker takes table_lock, posts 'ready', then
 * takes table_lock again. The handshake covers only the first: had main
 * taken table_lock before the second, its join under table_lock would
 * never return. (Here the worker is done first.) Before the fix the second
 * take matched the window's "already there" check and was not noted. */
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
	L(&table_lock);
	table = 1;
	U(&table_lock);
	sem_post(&ready);
	L(&table_lock); /* after the handshake */
	table++;
	U(&table_lock);
	atomic_store(&done, 1);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(sem_init(&ready, 0, 0) == 0);
	CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
	sem_wait(&ready);
	while (!atomic_load(&done))
		sched_yield();
	L(&table_lock);
	pthread_join(t, NULL);
	U(&table_lock);
	CHECK(table == 2);
	return 0;
}
