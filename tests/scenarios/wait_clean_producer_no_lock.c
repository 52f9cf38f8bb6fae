/* Clean twin of wait_cond_signaller_needs_lock: the waiter holds
 * outer_lock across the wait, but the signaller never needs it (it takes
 * only its own stats lock and the condvar's mutex). */
// expect: none
// options: wait_check=1
#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static int ready, stats;

static void *signaller(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) {
		L(&stats_lock);
		stats++;
		U(&stats_lock);
		L(&data_lock);
		ready++;
		pthread_cond_signal(&data_ready);
		U(&data_lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	L(&outer_lock);
	L(&data_lock);
	pthread_create(&t, NULL, signaller, NULL);
	while (ready < 3)
		pthread_cond_wait(&data_ready, &data_lock);
	U(&data_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	CHECK(stats == 3);
	return 0;
}
