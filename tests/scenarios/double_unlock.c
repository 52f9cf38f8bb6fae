/* Kernel selftest "double unlock": the second unlock is a bad unlock. */
// expect: bad_unlock lock_A
// stderr: WARNING: bad unlock balance detected!
// stderr: but there are no more locks to release!
#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&lock_A);
	U(&lock_A);
	U(&lock_A);
	return 0;
}
