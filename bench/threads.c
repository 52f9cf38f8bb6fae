/* Two threads.  "pair": each thread takes its own nested pair
 * (uncontended; same two classes in both threads).  "shared": both
 * threads lock one shared mutex, with a little work outside it, so it
 * is lightly contended.  ns/op is wall time over per-thread iterations.
 * Usage: threads [ITERS [REPS [pair|shared]]] */
#include "bench.h"
#include <pthread.h>

#define NTHREADS 2

/* Cache-line aligned so the two threads share nothing. */
struct pair {
	_Alignas(64) pthread_mutex_t a;
	pthread_mutex_t b;
};

struct work {
	long iters;
	struct pair *own;
};

static pthread_mutex_t shared_lock;
static long shared_count;

static void *pair_loop(void *arg)
{
	struct work *w = arg;
	struct pair *p = w->own;

	for (long i = 0; i < w->iters; i++) {
		pthread_mutex_lock(&p->a);
		pthread_mutex_lock(&p->b);
		pthread_mutex_unlock(&p->b);
		pthread_mutex_unlock(&p->a);
	}
	return NULL;
}

static void *shared_loop(void *arg)
{
	struct work *w = arg;
	volatile long local = 0;

	for (long i = 0; i < w->iters; i++) {
		pthread_mutex_lock(&shared_lock);
		shared_count++;
		pthread_mutex_unlock(&shared_lock);
		for (int k = 0; k < 8; k++)
			local++;
	}
	return NULL;
}

static void *(*loop)(void *);
static struct pair pairs[NTHREADS];

static void run(long iters, void *arg)
{
	pthread_t t[NTHREADS];
	struct work w[NTHREADS];

	(void)arg;
	for (int i = 0; i < NTHREADS; i++) {
		w[i] = (struct work){ iters, &pairs[i] };
		if (pthread_create(&t[i], NULL, loop, &w[i]))
			abort();
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);
	int shared = argc > 3 && !strcmp(argv[3], "shared");

	for (int i = 0; i < NTHREADS; i++) {
		pthread_mutex_init(&pairs[i].a, NULL);
		pthread_mutex_init(&pairs[i].b, NULL);
	}
	pthread_mutex_init(&shared_lock, NULL);
	loop = shared ? shared_loop : pair_loop;
	bench_report(bench_best(run, NULL, iters, reps));
	return 0;
}
