/* Many lock classes.  10,000 static mutexes, each locked once.
 *   sites:  each initialised at its own pthread_mutex_init call site,
 *           so 10,000 classes;
 *   loop:   all initialised at one site, so one class;
 *   static: never initialised (PTHREAD_MUTEX_INITIALIZER only).
 * The sites and loop runs differ only in the number of classes, so
 * their VmRSS difference is the per-class memory.
 * Usage: classes [sites|loop|static] */
#include "bench.h"
#include <pthread.h>

#define NLOCKS 10000

static pthread_mutex_t lk[NLOCKS] = { [0 ... NLOCKS - 1] = PTHREAD_MUTEX_INITIALIZER };

/* Straight-line calls, one call site per lock. */
#define S1(i) pthread_mutex_init(&lk[i], NULL);
#define S10(i) S1(i) S1(i + 1) S1(i + 2) S1(i + 3) S1(i + 4) \
	S1(i + 5) S1(i + 6) S1(i + 7) S1(i + 8) S1(i + 9)
#define S100(i) S10(i) S10(i + 10) S10(i + 20) S10(i + 30) S10(i + 40) \
	S10(i + 50) S10(i + 60) S10(i + 70) S10(i + 80) S10(i + 90)
#define S1000(i) S100(i) S100(i + 100) S100(i + 200) S100(i + 300) \
	S100(i + 400) S100(i + 500) S100(i + 600) S100(i + 700) \
	S100(i + 800) S100(i + 900)

static void init_sites(void)
{
	S1000(0) S1000(1000) S1000(2000) S1000(3000) S1000(4000)
	S1000(5000) S1000(6000) S1000(7000) S1000(8000) S1000(9000)
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "sites";

	if (!strcmp(mode, "sites"))
		init_sites();
	else if (!strcmp(mode, "loop"))
		for (int i = 0; i < NLOCKS; i++)
			pthread_mutex_init(&lk[i], NULL);
	for (int i = 0; i < NLOCKS; i++) {
		pthread_mutex_lock(&lk[i]);
		pthread_mutex_unlock(&lk[i]);
	}
	printf("locks %d\n", NLOCKS);
	bench_mem();
	return 0;
}
