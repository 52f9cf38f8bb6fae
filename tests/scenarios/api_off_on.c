/* ulockdep_off()/ulockdep_on(): validation off for a stretch of this
 * thread's code, nesting like the kernel's lockdep_off(). An ABBA done
 * entirely while off is silent, also while off twice and on once; after
 * the last on, the same pattern on other locks is reported. Assertions
 * are off too. Another thread is not affected by this thread's off. */
// expect: circular lock_E lock_F
// expect: circular lock_G lock_H
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_C = PTHREAD_MUTEX_INITIALIZER, lock_D = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_E = PTHREAD_MUTEX_INITIALIZER, lock_F = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_G = PTHREAD_MUTEX_INITIALIZER, lock_H = PTHREAD_MUTEX_INITIALIZER;

static void abba(pthread_mutex_t *a, pthread_mutex_t *b)
{
	CHECK(L(a) == 0);
	CHECK(L(b) == 0);
	CHECK(U(b) == 0);
	CHECK(U(a) == 0);
	CHECK(L(b) == 0);
	CHECK(L(a) == 0);
	CHECK(U(a) == 0);
	CHECK(U(b) == 0);
}

static void *other_thread(void *arg)
{
	(void)arg;
	abba(&lock_G, &lock_H); /* main is off; this thread is not */
	return NULL;
}

int main(void)
{
	CHECK(ulockdep_active() == 1);
	ulockdep_off();
	abba(&lock_A, &lock_B);
	ulockdep_assert_held(&lock_A); /* would fail, but off */
	on_thread(other_thread, NULL);
	ulockdep_off();
	ulockdep_on(); /* still off: nests */
	abba(&lock_C, &lock_D);
	ulockdep_on();
	abba(&lock_E, &lock_F);
	return 0;
}
