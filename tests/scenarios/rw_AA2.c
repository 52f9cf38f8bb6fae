/* Kernel selftest rlock_AA2 / rsem_AA2: read-lock then write-lock the same
 * rwlock in one thread. The write waits for every reader, this thread
 * included: a real self-deadlock for BOTH reader kinds, reported as
 * "possible recursive locking detected" before the thread blocks.
 * The write attempt is timed so the program can go on: it must time out. */
// expect: recursive recrw_X
// expect: recursive nonrw_X
#include "rwperm.h"

static void read_then_write(pthread_rwlock_t *rw)
{
	CHECK(pthread_rwlock_rdlock(rw) == 0);
	struct timespec ts = rw_deadline(50);
	CHECK(pthread_rwlock_timedwrlock(rw, &ts) == ETIMEDOUT);
	CHECK(pthread_rwlock_unlock(rw) == 0);
}

int main(void)
{
	rwperm_init();
	read_then_write(&recrw_X);
	read_then_write(&nonrw_X);
	return 0;
}
