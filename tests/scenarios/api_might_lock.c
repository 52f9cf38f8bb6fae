/* ulockdep_might_lock(): records "held locks -> lock" without taking it,
 * so a rare path's order is known before the path ever runs. One thread
 * holds cache_lock and calls a function that might take pool_lock (it only
 * does on a slow path that never runs here); another holds pool_lock and
 * takes cache_lock: a cycle, though pool_lock was never taken under
 * cache_lock. With nothing held, might_lock records nothing, and the lock
 * is not left held.
 * ulockdep_might_lock_read() on default rwlocks (recursive readers):
 * map_lock held, might read-lock tree_rw; the other side read-locks
 * tree_rw, then takes map_lock: a recursive reader never waits for a
 * reader, no deadlock, silent. With a writer on the other side (index_rw
 * write-locked, then index_lock) the cycle is real: reported. */
// expect: circular cache_lock pool_lock
// expect: circular index_lock index_rw
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER, pool_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t map_lock = PTHREAD_MUTEX_INITIALIZER, index_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t tree_rw = PTHREAD_RWLOCK_INITIALIZER, index_rw = PTHREAD_RWLOCK_INITIALIZER;

static int refill(int slow)
{
	ulockdep_might_lock(&pool_lock);
	if (slow) {
		CHECK(L(&pool_lock) == 0);
		CHECK(U(&pool_lock) == 0);
	}
	return 0;
}

static void *cache_path(void *arg)
{
	(void)arg;
	CHECK(L(&cache_lock) == 0);
	refill(0);
	ulockdep_assert_not_held(&pool_lock); /* might_lock leaves it free */
	CHECK(pthread_mutex_trylock(&pool_lock) == 0);
	CHECK(U(&pool_lock) == 0);
	CHECK(U(&cache_lock) == 0);
	return NULL;
}

static void *pool_path(void *arg)
{
	(void)arg;
	CHECK(L(&pool_lock) == 0);
	CHECK(L(&cache_lock) == 0);
	CHECK(U(&cache_lock) == 0);
	CHECK(U(&pool_lock) == 0);
	return NULL;
}

static void *might_read(void *arg)
{
	(void)arg;
	CHECK(L(&map_lock) == 0);
	ulockdep_might_lock_read(&tree_rw);
	CHECK(U(&map_lock) == 0);
	CHECK(L(&index_lock) == 0);
	ulockdep_might_lock_read(&index_rw);
	CHECK(U(&index_lock) == 0);
	return NULL;
}

static void *readers_then_lock(void *arg)
{
	(void)arg;
	CHECK(pthread_rwlock_rdlock(&tree_rw) == 0);
	CHECK(L(&map_lock) == 0);
	CHECK(U(&map_lock) == 0);
	CHECK(pthread_rwlock_unlock(&tree_rw) == 0);
	CHECK(pthread_rwlock_wrlock(&index_rw) == 0);
	CHECK(L(&index_lock) == 0);
	CHECK(U(&index_lock) == 0);
	CHECK(pthread_rwlock_unlock(&index_rw) == 0);
	return NULL;
}

int main(void)
{
	ulockdep_might_lock(&spare_lock); /* nothing held: no order */
	ulockdep_assert_none_held();
	on_thread(cache_path, NULL);
	on_thread(pool_path, NULL);
	on_thread(might_read, NULL);
	on_thread(readers_then_lock, NULL);
	return 0;
}
