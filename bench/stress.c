/* One class, many instances, churned (the shape of compiler-rt's
 * real_deadlock_detector_stress_test): N rwlocks made at one site; one op
 * takes two of them in index order (write, then read or write) and
 * releases them, and every 8th op destroys one lock and makes it again.
 * Same-class nesting orders instances, so every op is an instance
 * dependency and churn ends instances.  Prints VmRSS at the end.
 * Usage: stress [ITERS [REPS [N]]] */
#include "bench.h"
#include <pthread.h>
#include <stdint.h>

struct obj {
	pthread_rwlock_t lock;
	long id, uses, stamp;
};

static struct obj *objs;
static long n;
static uint64_t seed = 88172645463325252ULL;

static long made;

/* One init site for every lock: an object constructor, not inlined. */
__attribute__((noinline)) static void obj_make(struct obj *o, long id)
{
	pthread_rwlock_init(&o->lock, NULL);
	o->id = id;
	o->uses = 0;
	o->stamp = id * 31 + made++;
}

static uint64_t rnd(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static void run(long iters, void *arg)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		uint64_t r = rnd();
		long a = (long)(r % (uint64_t)n), b = (long)((r >> 32) % (uint64_t)n);
		if (a == b)
			b = (a + 1) % n;
		if (a > b) {
			long t = a;
			a = b;
			b = t;
		}
		pthread_rwlock_wrlock(&objs[a].lock);
		if (r & (1u << 20))
			pthread_rwlock_rdlock(&objs[b].lock);
		else
			pthread_rwlock_wrlock(&objs[b].lock);
		objs[a].uses++;
		pthread_rwlock_unlock(&objs[b].lock);
		pthread_rwlock_unlock(&objs[a].lock);
		if ((i & 7) == 7) {
			pthread_rwlock_destroy(&objs[a].lock);
			obj_make(&objs[a], a);
		}
	}
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 1000000);
	int reps = (int)bench_arg(argc, argv, 2, 3);

	n = bench_arg(argc, argv, 3, 16384);
	objs = calloc((size_t)n, sizeof *objs);
	if (!objs)
		return 1;
	for (long i = 0; i < n; i++)
		obj_make(&objs[i], i);
	bench_report(bench_best(run, NULL, iters, reps));
	bench_mem();
	return 0;
}
