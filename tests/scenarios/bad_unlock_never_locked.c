/* Unlock of a lock that was never locked is bad_unlock, whatever its
 * initialisation: a static initialiser (never seen by the runtime before
 * the unlock), a heap lock zeroed by calloc, and an rwlock. The lock is
 * free in memory, so no lock taken while untracked can explain it. */
// expect: bad_unlock static_never_locked
// expect: bad_unlock lock@main
// expect: bad_unlock static_rw
#include "scenario.h"

pthread_mutex_t static_never_locked = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t static_rw = PTHREAD_RWLOCK_INITIALIZER;

int main(void)
{
	pthread_mutex_unlock(&static_never_locked);
	pthread_mutex_t *h = calloc(1, sizeof *h);
	pthread_mutex_unlock(h);
	pthread_rwlock_unlock(&static_rw);
	return 0;
}
