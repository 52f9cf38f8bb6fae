/* After an out-of-order unlock the remaining locks are re-validated (the
 * kernel's reacquire): with A, rdlock(B), C held and B released, the
 * dependency A -> C is recorded, so a later C -> A is a strong cycle even
 * though A -ER-> B -SN-> C alone is not. */
// expect: circular ord_A ord_C
#include "scenario.h"

pthread_mutex_t ord_A = PTHREAD_MUTEX_INITIALIZER, ord_C = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t ord_B = PTHREAD_RWLOCK_INITIALIZER;

int main(void)
{
	L(&ord_A);
	pthread_rwlock_rdlock(&ord_B);
	L(&ord_C);
	pthread_rwlock_unlock(&ord_B); /* out of order */
	U(&ord_C);
	U(&ord_A);
	L(&ord_C);
	L(&ord_A);
	U(&ord_A);
	U(&ord_C);
	return 0;
}
