/* ulockdep_set_novalidate(): the lock is tracked as held but never
 * validated (the kernel's dev->mutex). Taking it twice (an error-checking
 * mutex returns EDEADLK instead of hanging) and ordering it both ways
 * against bus_lock are silent; assertions still see it held, so
 * ulockdep_assert_not_held() on it fails. Control: the same orders on an
 * ordinary lock report the cycle. */
// expect: circular plain_lock bus_lock
// expect: assert dev_mutex
// stderr: failed ulockdep_assert_not_held() at:
#include "scenario.h"

#include <errno.h>
#include <ulockdep.h>

pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t plain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t dev_mutex;

int main(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK(pthread_mutex_init(&dev_mutex, &a) == 0);
	ulockdep_set_novalidate(&dev_mutex);

	/* AA on the novalidate lock: no recursive report */
	CHECK(L(&dev_mutex) == 0);
	ulockdep_assert_held(&dev_mutex); /* passes: still tracked */
	CHECK(L(&dev_mutex) == EDEADLK);
	ulockdep_assert_not_held(&dev_mutex); /* fails */
	CHECK(U(&dev_mutex) == 0);

	/* ABBA with the novalidate lock: silent */
	struct pair p1 = { &dev_mutex, &bus_lock }, p2 = { &bus_lock, &dev_mutex };
	on_thread(ordered, &p1);
	on_thread(ordered, &p2);

	/* control */
	struct pair p3 = { &plain_lock, &bus_lock }, p4 = { &bus_lock, &plain_lock };
	on_thread(ordered, &p3);
	on_thread(ordered, &p4);
	return 0;
}
