/* A condition-variable wait is not a lock wait: T1 holds res_lock and waits
 * on a condvar; T2 blocks on res_lock for longer than the threshold. That
 * is no deadlock (main signals the condvar), so no report. */
// expect: none
// options: deadlock_action=abort deadlock_timeout_ms=200
#include "scenario.h"

pthread_mutex_t res_lock = PTHREAD_MUTEX_INITIALIZER, cv_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static volatile int holding, go;

static void *waiter(void *arg)
{
	(void)arg;
	L(&res_lock);
	L(&cv_lock);
	holding = 1;
	while (!go)
		pthread_cond_wait(&cv, &cv_lock);
	U(&cv_lock);
	U(&res_lock);
	return NULL;
}

static void *blocked(void *arg)
{
	(void)arg;
	L(&res_lock);
	U(&res_lock);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_create(&a, NULL, waiter, NULL);
	while (!holding)
		usleep(1000);
	pthread_create(&b, NULL, blocked, NULL);
	usleep(900000);
	L(&cv_lock);
	go = 1;
	pthread_cond_signal(&cv);
	U(&cv_lock);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
