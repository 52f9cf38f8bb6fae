/* A program that is merely slow: a lock held for well past the threshold,
 * then released. Waiters are checked, find no cycle, and keep waiting. */
// expect: none
// options: deadlock_action=abort deadlock_timeout_ms=200
#include "scenario.h"

pthread_mutex_t slow_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int holding;

static void *holder(void *arg)
{
	(void)arg;
	L(&slow_lock);
	holding = 1;
	usleep(1500000);
	U(&slow_lock);
	return NULL;
}

static void *waiter(void *arg)
{
	(void)arg;
	L(&slow_lock);
	U(&slow_lock);
	return NULL;
}

int main(void)
{
	pthread_t h, w[3];
	pthread_create(&h, NULL, holder, NULL);
	while (!holding)
		usleep(1000);
	for (int i = 0; i < 3; i++)
		pthread_create(&w[i], NULL, waiter, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(w[i], NULL);
	pthread_join(h, NULL);
	return 0;
}
