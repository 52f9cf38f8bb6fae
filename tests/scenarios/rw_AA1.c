/* Kernel selftest rlock_AA1 / rsem_AA1: one thread read-locks the same
 * rwlock twice.
 *   recursive reader (recrw_X, default glibc rwlock = kernel read_lock on
 *   an rwlock_t): a reader is admitted while the lock is read-held, even
 *   with a writer queued, so read-after-read can never block: silent.
 *   non-recursive reader (nonrw_X, PREFER_WRITER_NONRECURSIVE = kernel
 *   down_read on an rwsem): a writer that queues between the two reads
 *   blocks the second read behind it, and the writer waits for the first
 *   read: "possible recursive locking detected".
 * The second rdlock succeeds here (no writer is queued), and both read
 * holds are released: no unlock may be reported as unbalanced. */
// expect: recursive nonrw_X
#include "rwperm.h"

int main(void)
{
	rwperm_init();
	read_twice(&recrw_X);
	read_twice(&recrw_X); /* again, now through the chain cache */
	read_twice(&nonrw_X);
	/* both locks are free again */
	CHECK(pthread_rwlock_trywrlock(&recrw_X) == 0);
	CHECK(pthread_rwlock_unlock(&recrw_X) == 0);
	CHECK(pthread_rwlock_trywrlock(&nonrw_X) == 0);
	CHECK(pthread_rwlock_unlock(&nonrw_X) == 0);
	return 0;
}
