/* N heap lock objects of one class, each malloc'd and initialised at
 * one site.  One op locks and unlocks one object; ops walk the objects
 * in allocation order, or with "rand" in a fixed pseudo-random
 * permutation (the same for every run).  Prints VmRSS/VmHWM at the end.
 * Usage: heap [ITERS [REPS [N [rand]]]] */
#include "bench.h"
#include <pthread.h>
#include <stdint.h>

struct obj {
	pthread_mutex_t lock;
	long data;
};

struct set {
	struct obj **order;
	long n;
};

static struct obj *obj_new(void)
{
	struct obj *o = malloc(sizeof *o);

	if (!o)
		abort();
	pthread_mutex_init(&o->lock, NULL);
	o->data = 0;
	return o;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void run(long iters, void *arg)
{
	struct set *s = arg;

	for (long done = 0; done < iters;) {
		long n = iters - done < s->n ? iters - done : s->n;
		for (long i = 0; i < n; i++) {
			struct obj *o = s->order[i];
			pthread_mutex_lock(&o->lock);
			o->data++;
			pthread_mutex_unlock(&o->lock);
		}
		done += n;
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 2000000);
	int reps = bench_arg(argc, argv, 2, 5);
	long n = bench_arg(argc, argv, 3, 4096);
	int shuffle = argc > 4 && !strcmp(argv[4], "rand");
	uint64_t seed = 0x9e3779b97f4a7c15u;
	struct set s = { malloc(n * sizeof *s.order), n };

	if (!s.order)
		abort();
	for (long i = 0; i < n; i++)
		s.order[i] = obj_new();
	for (long i = n - 1; shuffle && i > 0; i--) {
		long j = rnd(&seed) % (i + 1);
		struct obj *t = s.order[i];
		s.order[i] = s.order[j];
		s.order[j] = t;
	}
	bench_report(bench_best(run, &s, iters, reps));
	bench_mem();
	return 0;
}
