/* Spin locks: a real ABBA deadlock on chains the fast path already knows. Each thread
 * first runs its order alone a few times (the order report comes then), so when
 * they deadlock, both acquisitions are cached chains and the second lock
 * of each reads busy: the fast path must block with the watched wait, not
 * in glibc's spin loop, for the wait-for check to find the deadlock. */
// expect: circular lock_A lock_B
// expect: deadlock lock_A lock_B
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
// timeout: 30
// stderr: WARNING: deadlock detected
#include "scenario.h"

pthread_spinlock_t lock_A, lock_B;
static pthread_barrier_t both_hold, turn;

static void *t1(void *arg)
{
	(void)arg;
	for (int i = 0; i < 3; i++) { /* alone: A then B */
		pthread_spin_lock(&lock_A);
		pthread_spin_lock(&lock_B);
		pthread_spin_unlock(&lock_B);
		pthread_spin_unlock(&lock_A);
	}
	pthread_barrier_wait(&turn);
	pthread_barrier_wait(&turn);
	pthread_spin_lock(&lock_A);
	pthread_barrier_wait(&both_hold);
	pthread_spin_lock(&lock_B);
	return NULL;
}

static void *t2(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&turn);
	for (int i = 0; i < 3; i++) { /* alone: B then A */
		pthread_spin_lock(&lock_B);
		pthread_spin_lock(&lock_A);
		pthread_spin_unlock(&lock_A);
		pthread_spin_unlock(&lock_B);
	}
	pthread_barrier_wait(&turn);
	pthread_spin_lock(&lock_B);
	pthread_barrier_wait(&both_hold);
	pthread_spin_lock(&lock_A);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_spin_init(&lock_A, 0);
	pthread_spin_init(&lock_B, 0);
	pthread_barrier_init(&both_hold, NULL, 2);
	pthread_barrier_init(&turn, NULL, 2);
	pthread_create(&a, NULL, t1, NULL);
	pthread_create(&b, NULL, t2, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	return 0;
}
