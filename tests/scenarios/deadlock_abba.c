/* A two-thread ABBA that really deadlocks. The order report comes first
 * (before either thread blocks); then the wait-for check finds both threads
 * stuck and --deadlock-action=abort ends the run. */
// expect: circular lock_A lock_B
// expect: deadlock lock_A lock_B
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
// stderr: WARNING: deadlock detected
// stderr: Showing all locks held in the system:
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold;

static void *t1(void *arg)
{
	(void)arg;
	L(&lock_A);
	pthread_barrier_wait(&both_hold);
	L(&lock_B);
	return NULL;
}

static void *t2(void *arg)
{
	(void)arg;
	L(&lock_B);
	pthread_barrier_wait(&both_hold);
	L(&lock_A);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_barrier_init(&both_hold, NULL, 2);
	pthread_create(&a, NULL, t1, NULL);
	pthread_create(&b, NULL, t2, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
