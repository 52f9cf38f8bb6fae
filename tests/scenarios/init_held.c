/* Kernel selftest "init held": re-initialising a held lock. */
// expect: held_freed lock_A
// stderr: WARNING: held lock freed!
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&lock_A);
	pthread_mutex_init(&lock_A, NULL);
	U(&lock_A);
	return 0;
}
