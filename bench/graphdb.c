/* --graph-db benchmark program: 4000 global locks (classes m+0x0 ..).
 * No argument: one new order. N: N distinct orders m[i] -> m[j], i < j. */
#include <pthread.h>
#include <stdlib.h>

pthread_mutex_t m[4000];

static void pair(int a, int b)
{
	pthread_mutex_lock(&m[a]);
	pthread_mutex_lock(&m[b]);
	pthread_mutex_unlock(&m[b]);
	pthread_mutex_unlock(&m[a]);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 0;
	for (int k = 0; k < n; k++)
		pair(k % 3000, 3000 + k / 3000 * 50 + k % 50);
	pair(3998, 3999);
	return 0;
}
