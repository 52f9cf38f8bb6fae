/* Read recursion with another lock in between: RL(X) L(Y) RL(X).
 *   recursive reader: the re-read cannot block, so it is allowed; it adds
 *   the dependency Y -> X taken as recursive reader (ER), which together
 *   with X -> Y (X held shared, SN) forms only a WEAK cycle (an xR edge
 *   followed by an Sx edge at X): silent.
 *   non-recursive reader: the re-read is same-lock recursion, reported as
 *   "possible recursive locking"; like the kernel (check_deadlock fails
 *   before any edge is added), no circular report follows. */
// expect: recursive nonrw_X
#include "rwperm.h"

static void *interleave(void *arg)
{
	pthread_rwlock_t *rw = arg;
	CHECK(pthread_rwlock_rdlock(rw) == 0);
	CHECK(pthread_mutex_lock(&mtx_Y) == 0);
	CHECK(pthread_rwlock_rdlock(rw) == 0);
	CHECK(pthread_rwlock_unlock(rw) == 0);
	CHECK(pthread_mutex_unlock(&mtx_Y) == 0);
	CHECK(pthread_rwlock_unlock(rw) == 0);
	return NULL;
}

int main(void)
{
	rwperm_init();
	on_thread(interleave, &recrw_X);
	on_thread(interleave, &nonrw_X);
	return 0;
}
