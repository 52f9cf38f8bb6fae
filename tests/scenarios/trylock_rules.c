/* A trylock gets no incoming edge (it cannot block): A then trylock B,
 * later B then A, is fine. But locks taken after a trylock order after it:
 * trylock C then D, later D then C, is a cycle. */
// expect: circular lock_C lock_D
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_C = PTHREAD_MUTEX_INITIALIZER, lock_D = PTHREAD_MUTEX_INITIALIZER;

static void *t1(void *arg)
{
	(void)arg;
	L(&lock_A);
	if (pthread_mutex_trylock(&lock_B) == 0)
		U(&lock_B);
	U(&lock_A);
	CHECK(pthread_mutex_trylock(&lock_C) == 0);
	L(&lock_D);
	U(&lock_D);
	U(&lock_C);
	return NULL;
}

static void *t2(void *arg)
{
	(void)arg;
	L(&lock_B);
	L(&lock_A);
	U(&lock_A);
	U(&lock_B);
	L(&lock_D);
	L(&lock_C);
	U(&lock_C);
	U(&lock_D);
	return NULL;
}

int main(void)
{
	on_thread(t1, NULL);
	on_thread(t2, NULL);
	return 0;
}
