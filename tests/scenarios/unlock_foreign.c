/* Unlocking a mutex another thread locked is a bad unlock in this thread;
 * the locking thread then still holds it when it exits. */
// expect: bad_unlock owner_lock
// expect: held_at_exit owner_lock
#include "scenario.h"

pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER;

static void *unlocker(void *arg)
{
	(void)arg;
	U(&owner_lock);
	return NULL;
}

int main(void)
{
	L(&owner_lock);
	on_thread(unlocker, NULL);
	return 0;
}
