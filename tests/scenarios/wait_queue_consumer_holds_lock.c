/* Bug twin of wait_clean_producer_consumer: a consumer waits on not_empty
 * (with the queue's own mutex, which is fine) while also holding
 * stats_lock, and the producer updates the stats before it pushes. The
 * producer got stats_lock first here; had the consumer taken it first,
 * nothing would ever be pushed. */
// expect: wait stats_lock not_empty
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static int items, waiting, stats;
static atomic_int counted;

static void *producer(void *arg)
{
	(void)arg;
	L(&stats_lock);
	stats++;
	U(&stats_lock);
	atomic_store(&counted, 1);
	L(&queue_lock);
	while (!waiting) {
		U(&queue_lock);
		sched_yield();
		L(&queue_lock);
	}
	items++;
	pthread_cond_signal(&not_empty);
	U(&queue_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, producer, NULL);
	while (!atomic_load(&counted))
		sched_yield();
	L(&stats_lock);
	L(&queue_lock);
	waiting = 1;
	while (!items)
		pthread_cond_wait(&not_empty, &queue_lock);
	items--;
	U(&queue_lock);
	stats++;
	U(&stats_lock);
	pthread_join(t, NULL);
	CHECK(stats == 2);
	return 0;
}
