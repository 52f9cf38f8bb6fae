/* Many producers broadcast one condvar (each after its own lock); many
 * waiters wait on it with only its mutex. Nobody holds another lock while
 * waiting, so no wait closes a cycle. */
// expect: none
// options: wait_check=1
#include "scenario.h"

#define P 4
pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t own[P];
static int generation, work[P];

static void *producer(void *arg)
{
	int i = (int)(long)arg;
	for (int k = 0; k < 20; k++) {
		L(&own[i]);
		work[i]++;
		U(&own[i]);
		L(&m);
		generation++;
		pthread_cond_broadcast(&changed);
		U(&m);
	}
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	L(&m);
	while (generation < P * 20)
		pthread_cond_wait(&changed, &m);
	U(&m);
	return NULL;
}

int main(void)
{
	pthread_t p[P], w[3];
	for (int i = 0; i < P; i++)
		pthread_mutex_init(&own[i], NULL);
	for (int i = 0; i < 3; i++)
		pthread_create(&w[i], NULL, waiter, NULL);
	for (int i = 0; i < P; i++)
		pthread_create(&p[i], NULL, producer, (void *)(long)i);
	for (int i = 0; i < P; i++)
		pthread_join(p[i], NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(w[i], NULL);
	CHECK(generation == P * 20);
	return 0;
}
