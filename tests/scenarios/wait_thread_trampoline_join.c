/* Bug twin of wait_clean_thread_trampoline: the thread joined with
 * table_lock held is the loader, which takes table_lock on its way out.
 * Here it got the lock first; had main taken it first, the join would
 * never return. Threads started through one trampoline are still classed
 * by where they were asked for, so this is caught. */
// expect: wait table_lock thread
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table;
static atomic_int loaded;

struct job {
	void (*fn)(void);
};

static void *trampoline(void *arg)
{
	struct job *j = arg;
	j->fn();
	free(j);
	return NULL;
}

static pthread_t spawn(void (*fn)(void))
{
	pthread_t t;
	struct job *j = malloc(sizeof *j);
	j->fn = fn;
	pthread_create(&t, NULL, trampoline, j);
	return t;
}

static void loader(void)
{
	L(&table_lock);
	table++;
	U(&table_lock);
	atomic_store(&loaded, 1);
}

int main(void)
{
	pthread_t t = spawn(loader);
	while (!atomic_load(&loaded))
		sched_yield();
	L(&table_lock);
	pthread_join(t, NULL);
	U(&table_lock);
	CHECK(table == 1);
	return 0;
}
