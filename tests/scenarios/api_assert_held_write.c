/* ulockdep_assert_held_write(): passes with the rwlock write-held, and with
 * a mutex held (exclusive); fails when the rwlock is only read-held and
 * when it is not held. */
// expect: assert route_lock
// expect: assert route_lock
// stderr: failed ulockdep_assert_held_write() at:
// stderr: update_under_read+
// stderr: update_unlocked+
#include "scenario.h"

#include <ulockdep.h>

pthread_rwlock_t route_lock = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t gen_lock = PTHREAD_MUTEX_INITIALIZER;
static int routes;

static void update_locked(void)
{
	CHECK(pthread_rwlock_wrlock(&route_lock) == 0);
	ulockdep_assert_held_write(&route_lock); /* passes */
	routes++;
	CHECK(pthread_rwlock_unlock(&route_lock) == 0);
	CHECK(L(&gen_lock) == 0);
	ulockdep_assert_held_write(&gen_lock); /* passes: a mutex is exclusive */
	CHECK(U(&gen_lock) == 0);
}

static void update_under_read(void)
{
	CHECK(pthread_rwlock_rdlock(&route_lock) == 0);
	ulockdep_assert_held_write(&route_lock); /* fails: only read-held */
	CHECK(pthread_rwlock_unlock(&route_lock) == 0);
}

static void update_unlocked(void)
{
	ulockdep_assert_held_write(&route_lock); /* fails: not held */
}

int main(void)
{
	update_locked();
	update_under_read();
	update_unlocked();
	CHECK(routes == 1);
	return 0;
}
