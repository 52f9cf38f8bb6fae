/* A SysV segment detached (shmdt) and another attached at the same
 * address: a lock in the old one (lock -> g) must not lend its history to
 * the lock at that address in the new one (g -> lock). */
// expect: none
#include <string.h>
#include <sys/shm.h>
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;

static __attribute__((noinline)) void take(pthread_mutex_t *x, int first)
{
	if (first) {
		L(x);
		L(&g);
		U(&g);
		U(x);
	} else {
		L(&g);
		L(x);
		U(x);
		U(&g);
	}
}

int main(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	CHECK(id >= 0);
	void *p = shmat(id, NULL, 0);
	CHECK(p != (void *)-1);
	memset(p, 0, 64);
	take(p, 1);
	shmdt(p);
	shmctl(id, IPC_RMID, NULL);
	int id2 = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	CHECK(id2 >= 0);
	void *q = shmat(id2, p, 0);
	CHECK(q == p);
	memset(q, 0, 64);
	take(q, 0);
	shmdt(q);
	shmctl(id2, IPC_RMID, NULL);
	return 0;
}
