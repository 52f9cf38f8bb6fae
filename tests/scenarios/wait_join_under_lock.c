/* pthread_join() under a lock the joined thread needs on its way out. This
 * run is lucky: the thread took state_lock before main did. */
// expect: wait state_lock thread
// options: wait_check=1
// stderr: with state_lock held
#include "scenario.h"

pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int gate[2], state;

static void *worker(void *arg)
{
	(void)arg;
	L(&state_lock);
	state = 1;
	U(&state_lock);
	CHECK(write(gate[1], "x", 1) == 1);
	return NULL;
}

int main(void)
{
	char c;
	pthread_t t;
	CHECK(pipe(gate) == 0);
	pthread_create(&t, NULL, worker, NULL);
	CHECK(read(gate[0], &c, 1) == 1);
	L(&state_lock);
	pthread_join(t, NULL);
	U(&state_lock);
	CHECK(state == 1);
	return 0;
}
