/* Lock churn in one class (the shape of compiler-rt's deadlock detector
 * stress test): 1024 live mutexes from one init site, pairs nested in
 * address order, and after every pair one lock is destroyed and made
 * again (a new instance). The instance nodes and dependencies of dead
 * locks are reclaimed, so memory stays flat: the resident size may not
 * grow by 16 MB between the first 20,000 rounds and the last of 200,000
 * (unreclaimed, it grows by about 40 MB). Instance order still works after
 * the churn: the final ABBA on two live instances is reported. */
// expect: circular table_open
// timeout: 60
#include "scenario.h"

#define N 1024
#define ROUNDS 200000

static pthread_mutex_t *locks;

static void table_open(pthread_mutex_t *m)
{
	CHECK(pthread_mutex_init(m, NULL) == 0);
}

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

int main(void)
{
	locks = calloc(N, sizeof *locks);
	for (int i = 0; i < N; i++)
		table_open(&locks[i]);
	unsigned x = 12345;
	long early = 0;
	for (int r = 0; r < ROUNDS; r++) {
		x = x * 1103515245u + 12345u;
		int a = (int)((x >> 8) % N), b = (int)((x >> 20) % N);
		if (a == b)
			continue;
		if (a > b) {
			int t = a;
			a = b;
			b = t;
		}
		CHECK(L(&locks[a]) == 0);
		CHECK(L(&locks[b]) == 0);
		U(&locks[b]);
		U(&locks[a]);
		int d = (r & 1) ? a : b;
		CHECK(pthread_mutex_destroy(&locks[d]) == 0);
		table_open(&locks[d]);
		if (r == 20000)
			early = rss_kb();
	}
	long late = rss_kb();
	printf("VmRSS %ld kB after 20k rounds, %ld kB at the end\n", early, late);
	CHECK(late - early < 16 * 1024);
	/* a real inversion on two live instances */
	L(&locks[0]);
	L(&locks[1]);
	U(&locks[1]);
	U(&locks[0]);
	L(&locks[1]);
	L(&locks[0]);
	U(&locks[0]);
	U(&locks[1]);
	for (int i = 0; i < N; i++)
		pthread_mutex_destroy(&locks[i]);
	free(locks);
	return 0;
}
