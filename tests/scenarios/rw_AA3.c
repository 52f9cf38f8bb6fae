/* Kernel selftest rlock_AA3 / rsem_AA3: write-lock then read-lock the same
 * rwlock in one thread. A reader waits for the writer, which is this
 * thread: self-deadlock for BOTH reader kinds -> "possible recursive
 * locking detected". glibc notices the writer and fails the read with
 * EDEADLK (the timed form only guards against a hang). */
// expect: recursive recrw_X
// expect: recursive nonrw_X
#include "rwperm.h"

static void write_then_read(pthread_rwlock_t *rw)
{
	CHECK(pthread_rwlock_wrlock(rw) == 0);
	struct timespec ts = rw_deadline(50);
	int r = pthread_rwlock_timedrdlock(rw, &ts);
	CHECK(r == EDEADLK || r == ETIMEDOUT);
	CHECK(pthread_rwlock_unlock(rw) == 0);
	/* the failed read left nothing held */
	CHECK(pthread_rwlock_trywrlock(rw) == 0);
	CHECK(pthread_rwlock_unlock(rw) == 0);
}

int main(void)
{
	rwperm_init();
	write_then_read(&recrw_X);
	write_then_read(&nonrw_X);
	return 0;
}
