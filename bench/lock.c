/* Uncontended lock/unlock of one mutex.  Usage: lock [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>

static void run(long iters, void *arg)
{
	pthread_mutex_t *m = arg;

	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(m);
		pthread_mutex_unlock(m);
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);
	pthread_mutex_t m;

	pthread_mutex_init(&m, NULL);
	bench_report(bench_best(run, &m, iters, reps));
	pthread_mutex_destroy(&m);
	return 0;
}
