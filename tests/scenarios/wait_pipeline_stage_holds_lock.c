/* Bug twin of wait_clean_pipeline: the stage waits on its input queue
 * while holding route_lock, and the feeder takes route_lock before it puts
 * into that queue. The feeder got route_lock first here; had the stage
 * taken it first, the queue would never fill. */
// expect: wait route_lock
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

struct queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int items, waiting;
};
static struct queue qs[2];
pthread_mutex_t route_lock = PTHREAD_MUTEX_INITIALIZER;
static int routes;
static atomic_int routed;

static void put(struct queue *q)
{
	L(&q->lock);
	q->items++;
	pthread_cond_signal(&q->cond);
	U(&q->lock);
}

static void get(struct queue *q)
{
	L(&q->lock);
	q->waiting = 1;
	while (!q->items)
		pthread_cond_wait(&q->cond, &q->lock);
	q->items--;
	U(&q->lock);
}

static void *stage(void *arg)
{
	(void)arg;
	while (!atomic_load(&routed))
		sched_yield();
	L(&route_lock); /* the bug: held across the wait for input */
	get(&qs[0]);
	routes++;
	U(&route_lock);
	put(&qs[1]);
	return NULL;
}

int main(void)
{
	pthread_t t;
	for (int i = 0; i < 2; i++) {
		pthread_mutex_init(&qs[i].lock, NULL);
		pthread_cond_init(&qs[i].cond, NULL);
	}
	pthread_create(&t, NULL, stage, NULL);
	L(&route_lock); /* the feeder looks the route up before it puts */
	routes++;
	U(&route_lock);
	atomic_store(&routed, 1);
	L(&qs[0].lock);
	while (!qs[0].waiting) { /* the stage sets it and sleeps in one hold */
		U(&qs[0].lock);
		sched_yield();
		L(&qs[0].lock);
	}
	U(&qs[0].lock);
	put(&qs[0]);
	get(&qs[1]);
	pthread_join(t, NULL);
	CHECK(routes == 2);
	return 0;
}
