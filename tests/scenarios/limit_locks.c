/* Past a hard limit the runtime degrades with one clear notice that says
 * what is no longer checked, never a crash or a silent stop: 300 lock
 * objects against max_locks=100. Locks within the limit are still
 * validated (the inversion below is reported). */
// expect: circular early_a early_b
// options: max_locks=100
// stderr: limit reached for lock objects (max_locks): new lock objects are not validated
#include "scenario.h"

pthread_mutex_t early_a = PTHREAD_MUTEX_INITIALIZER, early_b = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&early_a);
	L(&early_b);
	U(&early_b);
	U(&early_a);
	pthread_mutex_t *m = calloc(300, sizeof *m);
	for (int i = 0; i < 300; i++) {
		CHECK(pthread_mutex_init(&m[i], NULL) == 0);
		CHECK(L(&m[i]) == 0);
		CHECK(U(&m[i]) == 0);
	}
	L(&early_b);
	L(&early_a);
	U(&early_a);
	U(&early_b);
	free(m);
	return 0;
}
