/* Out-of-order unlock: lock D mutexes (one class) in order, then unlock
 * them first-in-first-out.  One op is one lock + one unlock (an op count
 * of ITERS rounds the depth up to whole stacks).
 * Usage: fifo [ITERS [REPS [D]]] */
#include "bench.h"
#include <pthread.h>

static pthread_mutex_t *m;
static long depth;

static void run(long iters, void *arg)
{
	(void)arg;
	for (long done = 0; done < iters; done += depth) {
		for (long i = 0; i < depth; i++)
			pthread_mutex_lock(&m[i]);
		for (long i = 0; i < depth; i++)
			pthread_mutex_unlock(&m[i]);
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 1000000);
	int reps = (int)bench_arg(argc, argv, 2, 3);

	depth = bench_arg(argc, argv, 3, 1000);
	m = calloc((size_t)depth, sizeof *m);
	if (!m)
		return 1;
	for (long i = 0; i < depth; i++)
		pthread_mutex_init(&m[i], NULL);
	if (iters < depth)
		iters = depth;
	bench_report(bench_best(run, NULL, iters, reps));
	return 0;
}
