/* Clean twin of wait_join_key_destructor: the key destructor takes only
 * stats_lock; main joins with table_lock held. */
// expect: none
#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t key;
static int stats;

static void flush(void *p)
{
	L(&stats_lock);
	stats += *(int *)p;
	U(&stats_lock);
}

static void *worker(void *arg)
{
	static int one = 1;
	(void)arg;
	L(&stats_lock);
	U(&stats_lock);
	pthread_setspecific(key, &one);
	return NULL;
}

int main(void)
{
	pthread_key_create(&key, flush);
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_create(&t, NULL, worker, NULL);
		L(&table_lock);
		pthread_join(t, NULL);
		U(&table_lock);
	}
	CHECK(stats == 2);
	return 0;
}
