/* A lock's identity cached in its own bytes (--lock-tags) ends with the
 * identity: ulockdep_set_class moves m to a new class without touching
 * m's bytes, so the tag written for its old class is still there. Were it
 * believed, "m then other" would read as the old class -> other against
 * the earlier other -> m: a false cycle. 300 other mutexes keep m out of
 * the per-thread lock cache, so its tag is what the fast path reads. The
 * ABBA between lock_A and lock_B shows the runtime ran. */
// expect: circular lock_A lock_B
#include "scenario.h"
#include <ulockdep.h>

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t many[300];
static char renamed_key;

static void churn(void)
{
	for (int i = 0; i < 300; i++) {
		L(&many[i]);
		U(&many[i]);
	}
}

int main(void)
{
	pthread_mutex_t *m = malloc(sizeof *m);
	CHECK(m != NULL);
	pthread_mutex_init(m, NULL);
	for (int i = 0; i < 300; i++)
		pthread_mutex_init(&many[i], NULL);
	for (int round = 0; round < 3; round++) { /* m alone, and other -> m: cached chains */
		L(m);
		U(m);
		L(&other);
		L(m);
		U(m);
		U(&other);
		churn();
	}
	ulockdep_set_class(m, &renamed_key, "renamed");
	for (int round = 0; round < 3; round++) {
		churn();
		L(m);
		L(&other);
		U(&other);
		U(m);
	}
	L(&lock_A);
	L(&lock_B);
	U(&lock_B);
	U(&lock_A);
	L(&lock_B);
	L(&lock_A);
	U(&lock_A);
	U(&lock_B);
	free(m);
	return 0;
}
