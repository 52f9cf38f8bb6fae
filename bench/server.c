/* A cold-started server's first moments: 2 worker threads serve requests
 * from the moment the process starts.  A request takes its connection's
 * lock, and under it a bin of a shared cache table (which doubles as it
 * fills, as in grow.c, under a table lock) and a stats lock.  Connections
 * come and go (every 256 requests a worker closes its connection and opens
 * a new one: destroy + init).  Everything the runtime learns, it learns
 * during the window.  ns/op is the window over the requests served in it;
 * the program runs once (a second run would not be cold).
 * Usage: server [ITERS [REPS [MS]]]  (ITERS and REPS are ignored) */
#include "bench.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct bin {
	pthread_mutex_t lock;
	long count;
	long hits;
	void *head;
};

struct conn {
	pthread_mutex_t lock;
	long served;
	long id;
	long long opened;
};

static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static struct bin *bins;
static uint64_t mask;
static long items, total;
static atomic_bool stop;

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

__attribute__((noinline)) static void conn_open(struct conn *c)
{
	static _Atomic long next_id;

	pthread_mutex_init(&c->lock, NULL);
	c->served = 0;
	c->id = atomic_fetch_add(&next_id, 1);
	c->opened = bench_now();
}

/* Double the table; the caller holds table_lock for writing. */
static void grow(void)
{
	uint64_t size = mask + 1;
	struct bin *nb = malloc(2 * size * sizeof *nb);
	if (!nb)
		abort();
	bins_init(nb, 2 * size);
	for (uint64_t i = 0; i < size; i++) {
		pthread_mutex_lock(&bins[i].lock);
		pthread_mutex_lock(&nb[i].lock);
		pthread_mutex_lock(&nb[i + size].lock);
		nb[i].count = bins[i].count / 2;
		nb[i + size].count = bins[i].count - bins[i].count / 2;
		pthread_mutex_unlock(&nb[i + size].lock);
		pthread_mutex_unlock(&nb[i].lock);
		pthread_mutex_unlock(&bins[i].lock);
	}
	for (uint64_t i = 0; i < size; i++)
		pthread_mutex_destroy(&bins[i].lock);
	free(bins);
	bins = nb;
	mask = 2 * size - 1;
}

static void *worker(void *arg)
{
	uint64_t h = (uintptr_t)arg * 0x9e3779b97f4a7c15ULL;
	struct conn c;
	long served = 0;

	conn_open(&c);
	while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
		h = (h + 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL;
		pthread_mutex_lock(&c.lock);
		pthread_rwlock_rdlock(&table_lock);
		uint64_t m = mask;
		struct bin *b = &bins[(h >> 20) & m];
		pthread_mutex_lock(&b->lock);
		b->count++;
		pthread_mutex_unlock(&b->lock);
		pthread_rwlock_unlock(&table_lock);
		pthread_mutex_lock(&stats_lock);
		long n = ++items;
		pthread_mutex_unlock(&stats_lock);
		if (n > (long)(2 * (m + 1)) && m < (1u << 18)) {
			pthread_rwlock_wrlock(&table_lock);
			pthread_mutex_lock(&stats_lock);
			n = items;
			pthread_mutex_unlock(&stats_lock);
			if (n > (long)(2 * (mask + 1)))
				grow();
			pthread_rwlock_unlock(&table_lock);
		}
		c.served++;
		pthread_mutex_unlock(&c.lock);
		if (++served % 256 == 0) {
			pthread_mutex_destroy(&c.lock);
			conn_open(&c);
		}
	}
	pthread_mutex_lock(&stats_lock);
	total += served;
	pthread_mutex_unlock(&stats_lock);
	pthread_mutex_destroy(&c.lock);
	return NULL;
}

int main(int argc, char **argv)
{
	long ms = bench_arg(argc, argv, 3, 1000);
	long long t0 = bench_now();
	pthread_t t[2];

	mask = 1023;
	bins = malloc((mask + 1) * sizeof *bins);
	if (!bins)
		return 1;
	bins_init(bins, mask + 1);
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(i + 1));
	while (bench_now() - t0 < ms * 1000000LL) {
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL);
	}
	atomic_store(&stop, true);
	long long t1 = bench_now();
	for (long i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	bench_report((double)(t1 - t0) / (double)total);
	return 0;
}
