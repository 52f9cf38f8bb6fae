/* A real hang through a join: main holds lock_A and joins a thread that is
 * blocked on lock_A. The wait-for graph follows the join (main -> the
 * thread) and the lock (the thread -> main), so the hang is reported with
 * who holds what, then --deadlock-action=abort ends the run. */
// expect: deadlock lock_A
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
// stderr: WARNING: deadlock detected
// stderr: is waiting to join
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;
static int gate[2];

static void *needs_a(void *arg)
{
	char c;
	(void)arg;
	CHECK(read(gate[0], &c, 1) == 1);
	L(&lock_A);
	U(&lock_A);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(gate) == 0);
	pthread_create(&t, NULL, needs_a, NULL);
	L(&lock_A);
	CHECK(write(gate[1], "x", 1) == 1);
	pthread_join(t, NULL);
	U(&lock_A);
	return 0;
}
