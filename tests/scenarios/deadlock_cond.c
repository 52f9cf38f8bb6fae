/* A real hang through a condition variable: main waits on 'kick' holding
 * lock_A; the one thread that signals 'kick' is blocked on lock_A. That
 * thread's lock-wait check follows lock_A to main, and main's condvar wait
 * to its one recent signaller: a cycle, reported with who holds what. */
// expect: deadlock lock_A
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
// stderr: is waiting on condvar:
// stderr: last signalled by
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, kick_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t kick = PTHREAD_COND_INITIALIZER;
static int gate[2], kicks;

static void *kicker(void *arg)
{
	char c;
	(void)arg;
	L(&kick_lock);
	kicks++;
	pthread_cond_signal(&kick);
	U(&kick_lock);
	CHECK(read(gate[0], &c, 1) == 1);
	L(&lock_A);
	L(&kick_lock);
	kicks++;
	pthread_cond_signal(&kick);
	U(&kick_lock);
	U(&lock_A);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(gate) == 0);
	pthread_create(&t, NULL, kicker, NULL);
	L(&lock_A);
	L(&kick_lock);
	while (kicks < 1)
		pthread_cond_wait(&kick, &kick_lock);
	CHECK(write(gate[1], "x", 1) == 1);
	while (kicks < 2)
		pthread_cond_wait(&kick, &kick_lock);
	U(&kick_lock);
	U(&lock_A);
	pthread_join(t, NULL);
	return 0;
}
