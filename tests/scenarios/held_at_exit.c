/* A thread that returns from its start routine holding a lock. */
// expect: held_at_exit leaked_lock
// stderr: still has locks held!
#include "scenario.h"

pthread_mutex_t leaked_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	L(&leaked_lock);
	return NULL;
}

int main(void)
{
	on_thread(worker, NULL);
	return 0;
}
