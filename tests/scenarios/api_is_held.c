/* ulockdep_is_held() / lockdep_is_held() answer for the calling thread, by
 * mode, for mutexes, rwlocks and pseudo-locks. */
// expect: none
#include <ulockdep.h>
#include <ulockdep/lockdep.h>

#include "scenario.h"

pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t table_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct ulockdep_map work_map = ULOCKDEP_MAP_INIT("work");

static void *other(void *arg)
{
	(void)arg;
	CHECK(!lockdep_is_held(&state_lock)); /* held by main, not by us */
	return NULL;
}

int main(void)
{
	CHECK(ulockdep_active());
	CHECK(!ulockdep_is_held(&state_lock));
	L(&state_lock);
	CHECK(ulockdep_is_held(&state_lock) && lockdep_is_held(&state_lock));
	CHECK(lockdep_is_held_type(&state_lock, 0) && !lockdep_is_held_type(&state_lock, 1));
	on_thread(other, NULL);
	U(&state_lock);
	CHECK(!lockdep_is_held(&state_lock));
	pthread_rwlock_rdlock(&table_rw);
	CHECK(lockdep_is_held_type(&table_rw, 1) && !lockdep_is_held_type(&table_rw, 0));
	pthread_rwlock_unlock(&table_rw);
	ulockdep_map_acquire(&work_map);
	CHECK(lock_is_held(&work_map));
	ulockdep_map_release(&work_map);
	CHECK(!lock_is_held(&work_map));
	return 0;
}
