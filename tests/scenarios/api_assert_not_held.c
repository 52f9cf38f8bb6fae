/* ulockdep_assert_not_held(): the guard against self-deadlock. A function
 * that takes a lock asserts the caller does not hold it: called from a
 * path that does, the assertion fails (before the real self-deadlock).
 * Not held, or held only by another thread, passes. */
// expect: assert table_lock
// stderr: failed ulockdep_assert_not_held() at:
// stderr: table_grow+
// stderr: 1 lock held by
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int size = 1;

/* Takes table_lock itself: callers must not hold it. */
static int table_grow(void)
{
	ulockdep_assert_not_held(&table_lock);
	if (pthread_mutex_trylock(&table_lock) != 0)
		return -1; /* a plain lock would hang here */
	size *= 2;
	CHECK(U(&table_lock) == 0);
	return 0;
}

static void *grow_elsewhere(void *arg)
{
	(void)arg;
	ulockdep_assert_not_held(&table_lock); /* passes: main holds it, not us */
	return NULL;
}

int main(void)
{
	CHECK(table_grow() == 0); /* passes */
	CHECK(L(&table_lock) == 0);
	on_thread(grow_elsewhere, NULL);
	CHECK(table_grow() == -1); /* fails: the insert path already holds it */
	CHECK(U(&table_lock) == 0);
	CHECK(size == 2);
	return 0;
}
