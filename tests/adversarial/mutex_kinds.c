// PI, PP, process-shared and robust mutexes, locked in a consistent order
// from several threads and across a fork: results as with glibc alone.
// expect: none
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_mutex_t *mx[4];

/* Across a fork only the process-shared mutexes (2, 3) may be used: a
 * PI or PP mutex without pshared shared with a child is undefined, and
 * glibc itself then aborts now and then (seen: the plain run, 134). */
static int first_shared;

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 2000; i++)
		for (int k = first_shared; k < 4; k++) {
			int r = pthread_mutex_lock(mx[k]);
			if (r && r != EINVAL && r != EPERM)
				printf("thread %ld lock %d: %s\n", id, k, strerror(r));
			if (!r)
				pthread_mutex_unlock(mx[k]);
		}
	return NULL;
}

int main(void)
{
	pthread_mutex_t *shm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int protos[4] = { PTHREAD_PRIO_INHERIT, PTHREAD_PRIO_PROTECT, PTHREAD_PRIO_NONE, PTHREAD_PRIO_NONE };
	for (int k = 0; k < 4; k++) {
		pthread_mutexattr_t a;
		pthread_mutexattr_init(&a);
		pthread_mutexattr_setprotocol(&a, protos[k]);
		if (k == 2)
			pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
		if (k == 3) {
			pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
			pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
		}
		mx[k] = &shm[k];
		printf("init %d: %s\n", k, strerror(pthread_mutex_init(mx[k], &a)));
	}
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	first_shared = 2;
	pid_t p = fork();
	if (p == 0) {
		worker((void *)9);
		_exit(0);
	}
	worker((void *)8);
	int st;
	waitpid(p, &st, 0);
	for (int k = 0; k < 4; k++)
		printf("trylock %d: %s\n", k, strerror(pthread_mutex_trylock(mx[k])));
	printf("child %d\n", WEXITSTATUS(st));
	return 0;
}
