/* shmdt() of a SysV segment that holds a locked lock: the lock's memory is
 * gone while it is held, like munmap() of a held lock. */
// expect: held_freed lock@main
// stderr: is freeing memory
#include <sys/shm.h>
#include "scenario.h"

int main(void)
{
	int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	CHECK(id >= 0);
	pthread_mutex_t *m = shmat(id, NULL, 0);
	CHECK(m != (void *)-1);
	shmctl(id, IPC_RMID, NULL);
	L(m);
	CHECK(shmdt(m) == 0);
	return 0;
}
