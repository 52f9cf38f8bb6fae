/* Unlocking a mutex another thread locked is a bad unlock in this thread. */
// expect: bad_unlock owner_lock
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
