/* A bounded queue: producers and consumers wait on not_full / not_empty
 * with the queue's own mutex, and take a stats lock outside of it. The
 * condvars' mutex is never a dependency, so nothing is reported. */
// expect: none
// options: wait_check=1
#include "scenario.h"

#define CAP 4
pthread_mutex_t q_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t not_full = PTHREAD_COND_INITIALIZER, not_empty = PTHREAD_COND_INITIALIZER;
static int q[CAP], head, count, consumed, produced;

static void *producer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		L(&q_lock);
		while (count == CAP)
			pthread_cond_wait(&not_full, &q_lock);
		q[(head + count++) % CAP] = i;
		pthread_cond_signal(&not_empty);
		U(&q_lock);
		L(&stats_lock);
		produced++;
		U(&stats_lock);
	}
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	for (int i = 0; i < 200; i++) {
		L(&q_lock);
		while (count == 0)
			pthread_cond_wait(&not_empty, &q_lock);
		head = (head + 1) % CAP;
		count--;
		pthread_cond_signal(&not_full);
		U(&q_lock);
		L(&stats_lock);
		consumed++;
		U(&stats_lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t p[2], c[2];
	for (int i = 0; i < 2; i++) {
		pthread_create(&p[i], NULL, producer, NULL);
		pthread_create(&c[i], NULL, consumer, NULL);
	}
	for (int i = 0; i < 2; i++) {
		pthread_join(p[i], NULL);
		pthread_join(c[i], NULL);
	}
	CHECK(consumed == 400 && produced == 400);
	return 0;
}
