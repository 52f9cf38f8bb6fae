/* Two threads churn locks of one class at once: each nests pairs of its
 * own locks in index order and destroys and re-makes them, so instance
 * nodes and dependencies are freed and reused across threads all the time.
 * A reused node must never carry an old instance's order: no report may
 * come from the churn. The final ABBA on two fresh instances must. */
// expect: circular locks
// timeout: 60
#include "scenario.h"
#include <stdint.h>

#define N 512
#define ROUNDS 100000

static pthread_mutex_t locks[2][N];

static void churn_open(pthread_mutex_t *m)
{
	CHECK(pthread_mutex_init(m, NULL) == 0);
}

static void *churn(void *arg)
{
	pthread_mutex_t *l = arg;
	unsigned x = (unsigned)(uintptr_t)arg;
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
		CHECK(L(&l[a]) == 0);
		CHECK(L(&l[b]) == 0);
		U(&l[b]);
		U(&l[a]);
		int d = (x & 1) ? a : b;
		CHECK(pthread_mutex_destroy(&l[d]) == 0);
		churn_open(&l[d]);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < N; i++)
			churn_open(&locks[k][i]);
	for (int k = 0; k < 2; k++)
		CHECK(pthread_create(&t[k], NULL, churn, locks[k]) == 0);
	for (int k = 0; k < 2; k++)
		pthread_join(t[k], NULL);
	pthread_mutex_t *a = &locks[0][7], *b = &locks[1][9];
	CHECK(pthread_mutex_destroy(a) == 0 && pthread_mutex_destroy(b) == 0);
	churn_open(a);
	churn_open(b);
	L(a);
	L(b);
	U(b);
	U(a);
	L(b);
	L(a);
	U(a);
	U(b);
	return 0;
}
