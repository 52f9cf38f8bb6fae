// A million heap locks: created, nested in pairs, destroyed and freed in
// waves, so the lock table, lock pages and address reuse are all exercised.
// expect: none
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#define WAVE 100000
#define WAVES 10

int main(void)
{
	pthread_mutex_t **m = malloc(WAVE * sizeof *m);
	long n = 0;
	for (int w = 0; w < WAVES; w++) {
		for (int i = 0; i < WAVE; i++) {
			m[i] = malloc(sizeof **m);
			pthread_mutex_init(m[i], NULL);
		}
		for (int i = 0; i + 1 < WAVE; i += 2) {
			pthread_mutex_lock(m[i]);
			pthread_mutex_lock(m[i + 1]); /* same class: instance order i -> i+1 */
			pthread_mutex_unlock(m[i + 1]);
			pthread_mutex_unlock(m[i]);
			n++;
		}
		for (int i = 0; i < WAVE; i++) {
			pthread_mutex_destroy(m[i]);
			free(m[i]);
		}
	}
	free(m);
	printf("locks %d, pairs %ld\n", WAVE * WAVES, n);
	return 0;
}
