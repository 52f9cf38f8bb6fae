/* ulockdep_assert_held_read(): passes with the rwlock read-held by this
 * thread; fails when it is write-held and when it is not held. */
// expect: assert stats_lock
// expect: assert stats_lock
// stderr: failed ulockdep_assert_held_read() at:
// stderr: read_while_writing+
// stderr: read_unlocked+
#include "scenario.h"

#include <ulockdep.h>

pthread_rwlock_t stats_lock = PTHREAD_RWLOCK_INITIALIZER;
static long hits;

static long read_locked(void)
{
	CHECK(pthread_rwlock_rdlock(&stats_lock) == 0);
	ulockdep_assert_held_read(&stats_lock); /* passes */
	long h = hits;
	CHECK(pthread_rwlock_unlock(&stats_lock) == 0);
	return h;
}

static void read_while_writing(void)
{
	CHECK(pthread_rwlock_wrlock(&stats_lock) == 0);
	ulockdep_assert_held_read(&stats_lock); /* fails: held for write */
	hits++;
	CHECK(pthread_rwlock_unlock(&stats_lock) == 0);
}

static long read_unlocked(void)
{
	ulockdep_assert_held_read(&stats_lock); /* fails: not held */
	return hits;
}

int main(void)
{
	CHECK(read_locked() == 0);
	read_while_writing();
	CHECK(read_unlocked() == 1);
	return 0;
}
