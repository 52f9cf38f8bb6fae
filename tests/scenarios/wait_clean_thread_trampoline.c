/* Clean: every thread starts through one spawn() helper and one
 * trampoline() start routine that calls the job's function pointer. The
 * loader threads take table_lock and are joined without it; the pinger
 * threads never take it and are joined with table_lock held. By start
 * routine alone all of them would be one class (thread:trampoline) and
 * "exit after taking table_lock" would meet "join with table_lock held".
 * A routine started from several places is classed by each place
 * (docs/design.md). Before that rule this reported wait table_lock
 * thread:trampoline. */
// expect: none
#include <stdlib.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table, pings;

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
}

static void pinger(void)
{
	__atomic_add_fetch(&pings, 1, __ATOMIC_SEQ_CST);
}

int main(void)
{
	for (int i = 0; i < 2; i++) {
		pthread_t t = spawn(loader);
		pthread_join(t, NULL);
		t = spawn(pinger);
		L(&table_lock);
		pthread_join(t, NULL);
		U(&table_lock);
	}
	CHECK(table == 2 && pings == 2);
	return 0;
}
