/* A hash table that doubles, like unbound's: every bin has a mutex made
 * at one site (one class).  Growing locks each old bin and, under it, the
 * two new bins its items go to, then destroys the old bins.  One op is one
 * insert (lock the bin, add, unlock), growths included.  The table starts
 * at 1024 bins and doubles when it holds 2 items per bin.  Prints VmRSS.
 * Usage: grow [ITERS [REPS]] */
#include "bench.h"
#include <pthread.h>
#include <stdint.h>

struct bin {
	pthread_mutex_t lock;
	long count;
	long hits;
	void *head;
};

struct table {
	struct bin *bins;
	uint64_t mask;
	long items;
};

/* Every bin's lock is made here: one class. */
__attribute__((noinline)) static void bins_init(struct bin *b, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++) {
		pthread_mutex_init(&b[i].lock, NULL);
		b[i].count = 0;
		b[i].hits = -1;
		b[i].head = &b[i]; /* an empty circular list */
	}
}

static void table_init(struct table *t, uint64_t size)
{
	t->bins = malloc(size * sizeof *t->bins);
	if (!t->bins)
		abort();
	t->mask = size - 1;
	t->items = 0;
	bins_init(t->bins, size);
}

static void table_grow(struct table *t)
{
	uint64_t size = t->mask + 1;
	struct bin *nb = malloc(2 * size * sizeof *nb);
	if (!nb)
		abort();
	bins_init(nb, 2 * size);
	for (uint64_t i = 0; i < size; i++) {
		struct bin *o = &t->bins[i];
		pthread_mutex_lock(&o->lock);
		pthread_mutex_lock(&nb[i].lock);
		pthread_mutex_lock(&nb[i + size].lock);
		nb[i].count = o->count / 2;
		nb[i + size].count = o->count - o->count / 2;
		pthread_mutex_unlock(&nb[i + size].lock);
		pthread_mutex_unlock(&nb[i].lock);
		pthread_mutex_unlock(&o->lock);
	}
	for (uint64_t i = 0; i < size; i++)
		pthread_mutex_destroy(&t->bins[i].lock);
	free(t->bins);
	t->bins = nb;
	t->mask = 2 * size - 1;
}

static void run(long iters, void *arg)
{
	struct table t;
	uint64_t h = 0;

	(void)arg;
	table_init(&t, 1024);
	for (long i = 0; i < iters; i++) {
		h = (h + 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL;
		struct bin *b = &t.bins[(h >> 20) & t.mask];
		pthread_mutex_lock(&b->lock);
		b->count++;
		pthread_mutex_unlock(&b->lock);
		if (++t.items > (long)(2 * (t.mask + 1)))
			table_grow(&t);
	}
	for (uint64_t i = 0; i <= t.mask; i++)
		pthread_mutex_destroy(&t.bins[i].lock);
	free(t.bins);
}

int main(int argc, char **argv)
{
	long iters = bench_arg(argc, argv, 1, 1000000);
	int reps = (int)bench_arg(argc, argv, 2, 3);

	bench_report(bench_best(run, NULL, iters, reps));
	bench_mem();
	return 0;
}
