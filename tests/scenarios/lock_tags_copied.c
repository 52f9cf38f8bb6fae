/* A lock's identity cached in its own bytes (--lock-tags) is bound to its
 * address: an unused mutex copied to another object (struct assignment)
 * carries the tag along, and the copy must still be a lock of its own.
 * Were the copy taken for orig, "copy then other" would read as
 * orig -> other against the earlier other -> orig: a false cycle. 300
 * other mutexes keep the copy out of the per-thread lock cache. The ABBA
 * between lock_A and lock_B shows the runtime ran. */
// expect: circular lock_A lock_B
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t many[300];
struct obj {
	pthread_mutex_t lock;
	int v;
};

static void churn(void)
{
	for (int i = 0; i < 300; i++) {
		L(&many[i]);
		U(&many[i]);
	}
}

int main(void)
{
	struct obj *orig = malloc(sizeof *orig), *copy = malloc(sizeof *copy);
	CHECK(orig && copy);
	pthread_mutex_init(&orig->lock, NULL);
	for (int i = 0; i < 300; i++)
		pthread_mutex_init(&many[i], NULL);
	for (int round = 0; round < 3; round++) { /* orig alone, and other -> orig: cached chains */
		L(&orig->lock);
		U(&orig->lock);
		L(&other);
		L(&orig->lock);
		U(&orig->lock);
		U(&other);
		churn();
	}
	*copy = *orig; /* unlocked: its bytes, tag words included */
	for (int round = 0; round < 3; round++) {
		churn();
		L(&copy->lock);
		L(&other);
		U(&other);
		U(&copy->lock);
	}
	L(&lock_A);
	L(&lock_B);
	U(&lock_B);
	U(&lock_A);
	L(&lock_B);
	L(&lock_A);
	U(&lock_A);
	U(&lock_B);
	free(orig);
	free(copy);
	return 0;
}
