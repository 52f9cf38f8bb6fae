/* Unlock of a spin lock the runtime never saw, free in memory: bad_unlock,
 * as for mutexes (bad_unlock_never_locked). glibc's x86 spin locks are
 * free at 1 and held at 0; the runtime read 0 as free, so this unlock
 * went unreported there. */
// expect: bad_unlock free_spin
#include "scenario.h"

#if defined(__x86_64__) || defined(__i386__)
pthread_spinlock_t free_spin = 1; /* what pthread_spin_init writes there */
#else
pthread_spinlock_t free_spin = 0;
#endif

int main(void)
{
	pthread_spin_unlock(&free_spin);
	return 0;
}
