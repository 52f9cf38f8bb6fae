/* A pthread key destructor takes table_lock when the worker exits; main
 * joins the worker with table_lock held. The destructor runs after the
 * start routine returned and before the join returns: it is on the way to
 * the event main waits for. (Here it got the lock before main.) */
// expect: wait table_lock thread
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t key;
static int table;
static atomic_int flushed;

static void flush(void *p)
{
	L(&table_lock);
	table += *(int *)p;
	U(&table_lock);
	atomic_store(&flushed, 1);
}

static void *worker(void *arg)
{
	static int one = 1;
	(void)arg;
	pthread_setspecific(key, &one);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_key_create(&key, flush);
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load(&flushed))
		sched_yield();
	L(&table_lock);
	pthread_join(t, NULL);
	U(&table_lock);
	CHECK(table == 1);
	return 0;
}
