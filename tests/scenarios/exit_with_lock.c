/* A server keeps a global lock for its whole life and calls exit() holding
 * it (redis's module GIL does this). exit() ends every thread at once, so no
 * one can wait on it: silent by default. A worker thread that ends holding
 * a lock is still reported. */
// expect: held_at_exit worker_lock
#include "scenario.h"

pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER, worker_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	L(&worker_lock);
	return NULL;
}

int main(void)
{
	L(&big_lock);
	on_thread(worker, NULL);
	exit(0);
}
