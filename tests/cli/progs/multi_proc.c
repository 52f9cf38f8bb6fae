/* Eight processes report at the same moment into one JSON file. */
#include <pthread.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

pthread_mutex_t proc_a = PTHREAD_MUTEX_INITIALIZER, proc_b = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	for (int i = 0; i < 8; i++) {
		if (fork() == 0) {
			pthread_mutex_lock(&proc_a);
			pthread_mutex_lock(&proc_b);
			pthread_mutex_unlock(&proc_b);
			pthread_mutex_unlock(&proc_a);
			pthread_mutex_lock(&proc_b);
			pthread_mutex_lock(&proc_a);
			pthread_mutex_unlock(&proc_a);
			pthread_mutex_unlock(&proc_b);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	return 0;
}
