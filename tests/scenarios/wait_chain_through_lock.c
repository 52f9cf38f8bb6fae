/* A three-step cycle closed by a plain lock order: main waits on 'kick'
 * holding lock_a; the kicker takes lock_b before it signals; a third thread
 * takes lock_a inside lock_b. No single pair is wrong, the chain
 * lock_a -> kick -> lock_b -> lock_a is. */
// expect: wait lock_a kick lock_b
// options: wait_check=1
// stderr: which lock already depends on the new lock through a wait
// stderr: Chain exists of:
#include "scenario.h"

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER, lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t kick_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t kick = PTHREAD_COND_INITIALIZER;
static int kicked;

static void *kicker(void *arg)
{
	(void)arg;
	L(&lock_b);
	U(&lock_b);
	L(&kick_lock);
	kicked = 1;
	pthread_cond_signal(&kick);
	U(&kick_lock);
	return NULL;
}

static void *b_then_a(void *arg)
{
	(void)arg;
	L(&lock_b);
	L(&lock_a);
	U(&lock_a);
	U(&lock_b);
	return NULL;
}

int main(void)
{
	pthread_t t;
	L(&lock_a);
	L(&kick_lock);
	pthread_create(&t, NULL, kicker, NULL);
	while (!kicked)
		pthread_cond_wait(&kick, &kick_lock);
	U(&kick_lock);
	U(&lock_a);
	pthread_join(t, NULL);
	on_thread(b_then_a, NULL);
	return 0;
}
