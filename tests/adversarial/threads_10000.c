// 10,000 threads alive at once, each taking two locks in a consistent
// order, then released together: no hang, no report, same output.
// expect: none
#include <pthread.h>
#include <stdio.h>

#define N 10000
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t gate = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t open_cv = PTHREAD_COND_INITIALIZER;
static int opened;
static long total;

static void *run(void *arg)
{
	pthread_mutex_lock(&gate);
	while (!opened)
		pthread_cond_wait(&open_cv, &gate);
	pthread_mutex_unlock(&gate);
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	total += (long)arg;
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	return NULL;
}

int main(void)
{
	static pthread_t t[N];
	pthread_attr_t at;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 32 * 1024);
	int n = 0;
	for (long i = 0; i < N; i++, n++)
		if (pthread_create(&t[i], &at, run, (void *)i))
			break;
	pthread_mutex_lock(&gate);
	opened = 1;
	pthread_cond_broadcast(&open_cv);
	pthread_mutex_unlock(&gate);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
	printf("threads %s, total %ld\n", n == N ? "all" : "limited", n == N ? total : -1L);
	return 0;
}
