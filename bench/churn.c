/* Lock init/destroy churn (compiler-rt's deadlock_detector_stress_test
 * Test14 shape): T threads each create and destroy a lock over and over,
 * taking none.  One op is one init + destroy; ns/op is wall time over one
 * thread's iterations.
 * Usage: churn [ITERS [REPS [THREADS]]] */
#include "bench.h"
#include <pthread.h>

struct work {
	long iters;
};

static void *loop(void *arg)
{
	struct work *w = arg;
	pthread_mutex_t m[4];

	for (long i = 0; i < w->iters; i++) {
		pthread_mutex_t *l = &m[i & 3];
		pthread_mutex_init(l, NULL);
		pthread_mutex_destroy(l);
	}
	return NULL;
}

static long nthreads;

static void run(long iters, void *arg)
{
	pthread_t t[64];
	struct work w = { iters };

	(void)arg;
	for (long i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, loop, &w);
	for (long i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 1000000);
	int reps = (int)bench_arg(argc, argv, 2, 3);

	nthreads = bench_arg(argc, argv, 3, 4);
	if (nthreads > 64)
		nthreads = 64;
	bench_report(bench_best(run, NULL, iters, reps));
	return 0;
}
