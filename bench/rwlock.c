/* rwlock read + mutex: rdlock rw, lock m, unlock m, unlock rw.
 * Usage: rwlock [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>

struct rwm {
	pthread_rwlock_t rw;
	pthread_mutex_t m;
};

static void run(long iters, void *arg)
{
	struct rwm *p = arg;

	for (long i = 0; i < iters; i++) {
		pthread_rwlock_rdlock(&p->rw);
		pthread_mutex_lock(&p->m);
		pthread_mutex_unlock(&p->m);
		pthread_rwlock_unlock(&p->rw);
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);
	struct rwm p;

	pthread_rwlock_init(&p.rw, NULL);
	pthread_mutex_init(&p.m, NULL);
	bench_report(bench_best(run, &p, iters, reps));
	return 0;
}
