/* A trylock taken on the fast path is recorded as a trylock. Once
 * "lock_A, then trylock lock_B" is a cached chain, lock_C under both still
 * depends on lock_A: the search for its dependencies goes down past a
 * trylock to the nearest blocking lock. With lock_C then lock_A elsewhere
 * that is a cycle of lock_A and lock_C. */
// expect: circular lock_A lock_C
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER,
		lock_C = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	for (int i = 0; i < 4; i++) { /* a cached chain: A, then trylock B */
		L(&lock_A);
		CHECK(pthread_mutex_trylock(&lock_B) == 0);
		U(&lock_B);
		U(&lock_A);
	}
	L(&lock_A);
	CHECK(pthread_mutex_trylock(&lock_B) == 0); /* the fast path */
	L(&lock_C);
	U(&lock_C);
	U(&lock_B);
	U(&lock_A);
	L(&lock_C);
	L(&lock_A);
	U(&lock_A);
	U(&lock_C);
	return 0;
}
