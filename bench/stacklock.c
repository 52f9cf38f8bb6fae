/* Lock/unlock of a never-initialised lock on the thread's own stack (a
 * PTHREAD_MUTEX_INITIALIZER local): ulockdep checks which frame owns such
 * a lock on every acquisition.  Usage: stacklock [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>

static void run(long iters, void *arg)
{
	pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;

	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m);
		pthread_mutex_unlock(&m);
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);

	bench_report(bench_best(run, NULL, iters, reps));
	return 0;
}
