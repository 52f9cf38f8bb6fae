/* The acquisition mode is part of what the fast path remembers. rw read
 * then big_lock: rw -> big_lock. big_lock then rw read, over and over: a
 * recursive read under big_lock cannot deadlock against a reader (no
 * report), and that chain is cached and remembered. Then big_lock then rw
 * WRITE: the same lock on the same chain, in another mode, must be
 * validated on its own: a real ABBA. */
// expect: circular big_lock rw
#include "scenario.h"

pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

int main(void)
{
	CHECK(pthread_rwlock_rdlock(&rw) == 0);
	L(&big_lock);
	U(&big_lock);
	CHECK(pthread_rwlock_unlock(&rw) == 0);
	for (int i = 0; i < 4; i++) {
		L(&big_lock);
		CHECK(pthread_rwlock_rdlock(&rw) == 0);
		CHECK(pthread_rwlock_unlock(&rw) == 0);
		U(&big_lock);
	}
	L(&big_lock);
	CHECK(pthread_rwlock_wrlock(&rw) == 0);
	CHECK(pthread_rwlock_unlock(&rw) == 0);
	U(&big_lock);
	return 0;
}
