/* Across fork the child keeps only the forking thread's state: a lock held
 * by another thread at fork time is not "held" in the child, and the child
 * keeps validating (its own inversion is reported, from the child). */
// expect: circular child_a child_b
#include <sys/wait.h>

#include "scenario.h"

pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t child_a = PTHREAD_MUTEX_INITIALIZER, child_b = PTHREAD_MUTEX_INITIALIZER;
static volatile int holding, release_it;

static void *holder(void *arg)
{
	(void)arg;
	L(&other_lock);
	holding = 1;
	while (!release_it)
		usleep(1000);
	U(&other_lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, holder, NULL);
	while (!holding)
		usleep(1000);
	pid_t pid = fork();
	if (pid == 0) {
		L(&child_a);
		L(&child_b);
		U(&child_b);
		U(&child_a);
		L(&child_b);
		L(&child_a);
		U(&child_a);
		U(&child_b);
		_exit(0);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	release_it = 1;
	pthread_join(t, NULL);
	return 0;
}
