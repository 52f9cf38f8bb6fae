// Past max_locks, new lock objects go unchecked with exactly one notice
// (heap churn keeps the table full); the program runs on unchanged and the
// locks within the limit are still checked (their real inversion is
// reported).
// opts: max_locks=64
// notice: lock objects
// expect: circular
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	pthread_mutex_t *early = calloc(2, sizeof *early);
	pthread_mutex_init(&early[0], NULL);
	pthread_mutex_init(&early[1], NULL);
	long sum = 0;
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_t *m = malloc(2 * sizeof *m);
		pthread_mutex_init(&m[0], NULL);
		pthread_mutex_init(&m[1], NULL);
		pthread_mutex_lock(&m[0]);
		pthread_mutex_lock(&m[1]);
		pthread_mutex_unlock(&m[1]);
		pthread_mutex_unlock(&m[0]);
		sum += i;
		if (i % 2 == 0) /* keep half alive: the table stays full */
			pthread_mutex_destroy(&m[0]), free(m);
	}
	for (int k = 0; k < 2; k++) { /* both orders: within the limit, reported */
		pthread_mutex_lock(&early[k]);
		pthread_mutex_lock(&early[!k]);
		pthread_mutex_unlock(&early[!k]);
		pthread_mutex_unlock(&early[k]);
	}
	printf("sum %ld\n", sum);
	return 0;
}
