/* ulockdep_assert_held(): passes when this thread holds the lock; fails
 * (an "assert" report at the caller) when the lock is not held and when
 * only another thread holds it. */
// expect: assert cfg_lock
// expect: assert cfg_lock
// stderr: failed ulockdep_assert_held() at:
// stderr: update_unlocked+
// stderr: check_from_other_thread+
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static int cfg;

static void update_locked(void)
{
	CHECK(L(&cfg_lock) == 0);
	ulockdep_assert_held(&cfg_lock); /* passes */
	cfg++;
	CHECK(U(&cfg_lock) == 0);
}

static void update_unlocked(void)
{
	ulockdep_assert_held(&cfg_lock); /* fails: the caller forgot the lock */
	cfg++;
}

static void *check_from_other_thread(void *arg)
{
	(void)arg;
	ulockdep_assert_held(&cfg_lock); /* fails: main holds it, not us */
	return NULL;
}

int main(void)
{
	update_locked();
	update_unlocked();
	CHECK(L(&cfg_lock) == 0);
	on_thread(check_from_other_thread, NULL);
	ulockdep_assert_held(&cfg_lock); /* passes */
	CHECK(U(&cfg_lock) == 0);
	CHECK(cfg == 2);
	return 0;
}
