/* Deep stacks released first-in-first-out: 5000 nested locks of one class,
 * then 2000 nested locks of 2000 classes, each stack unlocked from the
 * bottom. Every such unlock rebuilds the chains above it; that work is
 * linear in the depth and adds at most one chain, so the run completes
 * well inside the timeout and the resident size grows by less than 64 MB
 * (revalidating every chain above each unlock took minutes and a
 * gigabyte). The ABBA at the end must still be reported. */
// expect: circular fifo_a fifo_b
// timeout: 30
#include "scenario.h"
#include <ulockdep.h>

#define DEEP 5000
#define WIDE 2000

pthread_mutex_t fifo_a = PTHREAD_MUTEX_INITIALIZER, fifo_b = PTHREAD_MUTEX_INITIALIZER;

static long rss_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

static void fifo(pthread_mutex_t *m, int n)
{
	for (int i = 0; i < n; i++)
		CHECK(L(&m[i]) == 0);
	for (int i = 0; i < n; i++)
		CHECK(U(&m[i]) == 0);
}

int main(void)
{
	pthread_mutex_t *deep = calloc(DEEP, sizeof *deep), *wide = calloc(WIDE, sizeof *wide);
	static char keys[WIDE];
	for (int i = 0; i < DEEP; i++)
		CHECK(pthread_mutex_init(&deep[i], NULL) == 0);
	for (int i = 0; i < WIDE; i++) {
		CHECK(pthread_mutex_init(&wide[i], NULL) == 0);
		ulockdep_set_class(&wide[i], &keys[i], "fifo_wide");
	}
	long before = rss_kb();
	fifo(deep, DEEP);
	fifo(wide, WIDE);
	fifo(deep, DEEP);
	long after = rss_kb();
	printf("VmRSS %ld -> %ld kB\n", before, after);
	CHECK(after - before < 64 * 1024);
	L(&fifo_a);
	L(&fifo_b);
	U(&fifo_b);
	U(&fifo_a);
	L(&fifo_b);
	L(&fifo_a);
	U(&fifo_a);
	U(&fifo_b);
	return 0;
}
