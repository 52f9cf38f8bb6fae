/* Clean twin of wait_join_under_lock: state_lock is released before the
 * join, so the thread can always finish. */
// expect: none
// options: wait_check=1
#include "scenario.h"

pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int state;

static void *worker(void *arg)
{
	(void)arg;
	L(&state_lock);
	state++;
	U(&state_lock);
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	L(&state_lock);
	state += 10;
	U(&state_lock);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(state == 14);
	return 0;
}
