/* The reader kind of a statically initialised rwlock: glibc's
 * PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP gives the same lock as
 * pthread_rwlockattr_setkind_np(PREFER_WRITER_NONRECURSIVE), so its reads
 * are non-recursive: read-after-read by one thread is the kernel's
 * rsem_AA1, "possible recursive locking". PTHREAD_RWLOCK_INITIALIZER is
 * reader-preferring (recursive reads): rlock_AA1, silent. Neither lock is
 * passed to pthread_rwlock_init: the kind must come from the lock itself. */
// expect: recursive wpref_lock
#include "scenario.h"

pthread_rwlock_t wpref_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
pthread_rwlock_t rpref_lock = PTHREAD_RWLOCK_INITIALIZER;

int main(void)
{
	read_twice(&rpref_lock);
	read_twice(&wpref_lock);
	return 0;
}
