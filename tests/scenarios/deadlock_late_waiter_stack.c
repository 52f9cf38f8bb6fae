/* The deadlock report shows where every blocked thread waits, also the one
 * that began waiting later: it takes its wait's stack only at its own first
 * check, after the first waiter's check found the cycle. main joins the
 * worker while holding lock_B (it waits first); 300 ms later the worker
 * blocks on lock_B inside late_block(). Before, the worker's wait printed
 * "(stack unavailable)". (No order report comes first: the worker never
 * gets lock_B.) */
// expect: deadlock lock_B
// options: deadlock_action=abort deadlock_timeout_ms=500 wait_check=0
// exit: signal
// stderr: late_block+
#include "scenario.h"

pthread_mutex_t lock_B = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void late_block(void)
{
	L(&lock_B);
}

static void *worker(void *arg)
{
	(void)arg;
	usleep(300000);
	late_block();
	return NULL;
}

int main(void)
{
	pthread_t t;
	L(&lock_B);
	CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
	pthread_join(t, NULL); /* waits first */
	return 0;
}
