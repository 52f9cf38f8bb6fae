// A process-shared mutex held across fork stays the parent's: the child
// locks it (waiting for the parent), unlocks it and exits. The child once
// kept the parent's held entry and was reported for recursive locking.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pthread_mutex_t *n = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(n, &a);
	pthread_mutex_lock(n);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int r = pthread_mutex_lock(n); /* waits for the parent */
		pthread_mutex_unlock(n);
		_exit(r == 0 ? 3 : 4);
	}
	usleep(200000);
	pthread_mutex_unlock(n);
	int st = 0;
	waitpid(p, &st, 0);
	printf("child %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
