/* 4-deep nesting over 8 classes.  Iteration i takes the window
 * m[k..k+3] (k = i mod 5) in ascending order, so the order is
 * consistent.  One op is 4 locks + 4 unlocks.
 * Usage: nest4 [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>

static pthread_mutex_t m[8];

static void run(long iters, void *arg)
{
	int k = 0;

	(void)arg;
	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&m[k]);
		pthread_mutex_lock(&m[k + 1]);
		pthread_mutex_lock(&m[k + 2]);
		pthread_mutex_lock(&m[k + 3]);
		pthread_mutex_unlock(&m[k + 3]);
		pthread_mutex_unlock(&m[k + 2]);
		pthread_mutex_unlock(&m[k + 1]);
		pthread_mutex_unlock(&m[k]);
		if (++k == 5)
			k = 0;
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 1000000);
	int reps = bench_arg(argc, argv, 2, 5);

	/* Eight init sites, so eight classes. */
	pthread_mutex_init(&m[0], NULL);
	pthread_mutex_init(&m[1], NULL);
	pthread_mutex_init(&m[2], NULL);
	pthread_mutex_init(&m[3], NULL);
	pthread_mutex_init(&m[4], NULL);
	pthread_mutex_init(&m[5], NULL);
	pthread_mutex_init(&m[6], NULL);
	pthread_mutex_init(&m[7], NULL);
	bench_report(bench_best(run, NULL, iters, reps));
	return 0;
}
