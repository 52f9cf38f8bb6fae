/* --lock-tags=0: the runtime writes nothing into a lock object, so a
 * program that compares an unused mutex with its static initialiser after
 * lock/unlock cycles still finds them equal (and an rwlock's padding zero). 300
 * mutexes, so most acquisitions miss the per-thread lock cache and would
 * read and write the tag words if the option were on. The ABBA shows the
 * runtime ran. */
// expect: circular lock_A lock_B
// options: lock_tags=0
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER, lock_B = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t many[300];
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;

int main(void)
{
	static const pthread_mutex_t m0 = PTHREAD_MUTEX_INITIALIZER;
	for (int i = 0; i < 300; i++)
		many[i] = m0;
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 300; i++) {
			L(&many[i]);
			U(&many[i]);
		}
		pthread_rwlock_rdlock(&rw);
		pthread_rwlock_unlock(&rw);
		pthread_rwlock_wrlock(&rw);
		pthread_rwlock_unlock(&rw);
	}
	for (int i = 0; i < 300; i++)
		CHECK(memcmp(&many[i], &m0, sizeof m0) == 0);
	/* an rwlock keeps glibc's phase bit after a write: compare the rest */
	CHECK(rw.__data.__pad3 == 0 && rw.__data.__pad4 == 0 && rw.__data.__pad2 == 0);
	L(&lock_A);
	L(&lock_B);
	U(&lock_B);
	U(&lock_A);
	L(&lock_B);
	L(&lock_A);
	U(&lock_A);
	U(&lock_B);
	return 0;
}
