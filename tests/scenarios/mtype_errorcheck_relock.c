/* PTHREAD_MUTEX_ERRORCHECK: relocking by the owner fails with EDEADLK
 * instead of hanging. The program must still see EDEADLK (the validator
 * must not change the result), and the relock is the kernel's AA:
 * "possible recursive locking detected". A trylock by the owner fails
 * with EBUSY and cannot block: no report for it. The failed relock leaves
 * nothing held: one unlock releases the lock, and another thread can then
 * take it. */
// expect: recursive errchk_lock
// stderr: possible recursive locking detected
#include <errno.h>

#include "scenario.h"

pthread_mutex_t errchk_lock;

static void *other(void *arg)
{
	(void)arg;
	CHECK(pthread_mutex_trylock(&errchk_lock) == 0);
	CHECK(U(&errchk_lock) == 0);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK) == 0);
	CHECK(pthread_mutex_init(&errchk_lock, &a) == 0);
	pthread_mutexattr_destroy(&a);

	CHECK(L(&errchk_lock) == 0);
	CHECK(pthread_mutex_trylock(&errchk_lock) == EBUSY);
	errno = 0;
	CHECK(L(&errchk_lock) == EDEADLK);
	CHECK(U(&errchk_lock) == 0);
	on_thread(other, NULL);
	return 0;
}
