/* A nested pair on one thread: lock A, lock B, unlock B, unlock A.
 * Usage: nested [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>

struct pair {
	pthread_mutex_t a, b;
};

static void run(long iters, void *arg)
{
	struct pair *p = arg;

	for (long i = 0; i < iters; i++) {
		pthread_mutex_lock(&p->a);
		pthread_mutex_lock(&p->b);
		pthread_mutex_unlock(&p->b);
		pthread_mutex_unlock(&p->a);
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);
	struct pair p;

	/* Two init sites, so two classes. */
	pthread_mutex_init(&p.a, NULL);
	pthread_mutex_init(&p.b, NULL);
	bench_report(bench_best(run, &p, iters, reps));
	return 0;
}
