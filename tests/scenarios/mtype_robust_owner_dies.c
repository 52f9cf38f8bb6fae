/* A robust mutex whose owner thread dies holding it (pthread_exit with the
 * lock taken). That thread did exit holding a lock: one held_at_exit
 * report for it. The next locker gets EOWNERDEAD and owns the lock; it
 * marks the state consistent, works under it (taking lock_B inside), and
 * unlocks. The validator must treat EOWNERDEAD as acquired: no crash, no
 * bad_unlock on the unlock, and afterwards the lock behaves normally for
 * another thread. */
// expect: held_at_exit robust_lock
// stderr: still has locks held!
#include <errno.h>

#include "scenario.h"

pthread_mutex_t robust_lock;
pthread_mutex_t lock_B = PTHREAD_MUTEX_INITIALIZER;
static int state;

static void *dies_holding(void *arg)
{
	(void)arg;
	CHECK(L(&robust_lock) == 0);
	state = 1;
	pthread_exit(NULL);
}

static void *later_user(void *arg)
{
	(void)arg;
	CHECK(L(&robust_lock) == 0);
	CHECK(L(&lock_B) == 0);
	state = 3;
	CHECK(U(&lock_B) == 0);
	CHECK(U(&robust_lock) == 0);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) == 0);
	CHECK(pthread_mutex_init(&robust_lock, &a) == 0);
	pthread_mutexattr_destroy(&a);

	on_thread(dies_holding, NULL);
	CHECK(state == 1);
	CHECK(L(&robust_lock) == EOWNERDEAD);
	CHECK(pthread_mutex_consistent(&robust_lock) == 0);
	CHECK(L(&lock_B) == 0);
	state = 2;
	CHECK(U(&lock_B) == 0);
	CHECK(U(&robust_lock) == 0);
	on_thread(later_user, NULL);
	CHECK(state == 3);
	return 0;
}
