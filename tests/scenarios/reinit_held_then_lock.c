/* Initialising a lock the thread holds is reported once ("held lock
 * freed", re-initialising); the lock is then free and not held: taking it
 * again is not recursive locking. Before, the stale held entry made the
 * next lock a "possible recursive locking" report. */
// expect: held_freed cache_lock
#include "scenario.h"

static pthread_mutex_t cache_lock;

int main(void)
{
	CHECK(pthread_mutex_init(&cache_lock, NULL) == 0);
	L(&cache_lock);
	CHECK(pthread_mutex_init(&cache_lock, NULL) == 0); /* glibc overwrites it: unlocked */
	L(&cache_lock);
	U(&cache_lock);
	return 0;
}
