/* A pipeline of three stages joined by queues, each queue with its own
 * mutex and condvar. A stage waits on its input queue holding nothing and
 * signals its output queue after taking its input's mutex. */
// expect: none
// options: wait_check=1
#include "scenario.h"

#define N 100
struct queue {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int items, closed;
};
static struct queue qs[3];

static void put(struct queue *q)
{
	L(&q->lock);
	q->items++;
	pthread_cond_signal(&q->cond);
	U(&q->lock);
}

static int get(struct queue *q)
{
	L(&q->lock);
	while (!q->items && !q->closed)
		pthread_cond_wait(&q->cond, &q->lock);
	int got = q->items > 0;
	if (got)
		q->items--;
	U(&q->lock);
	return got;
}

static void close_q(struct queue *q)
{
	L(&q->lock);
	q->closed = 1;
	pthread_cond_broadcast(&q->cond);
	U(&q->lock);
}

static void *stage(void *arg)
{
	struct queue *in = arg, *out = in + 1;
	while (get(in))
		put(out);
	close_q(out);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int i = 0; i < 3; i++) {
		pthread_mutex_init(&qs[i].lock, NULL);
		pthread_cond_init(&qs[i].cond, NULL);
	}
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, stage, &qs[i]);
	for (int i = 0; i < N; i++)
		put(&qs[0]);
	close_q(&qs[0]);
	int out = 0;
	while (get(&qs[2]))
		out++;
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	CHECK(out == N);
	return 0;
}
