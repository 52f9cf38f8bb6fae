// Under ulimit -v the runtime reserves nothing big up front: the program's
// own large allocation succeeds as in the plain run, and a lock order still
// works (the graph grows lazily, all-or-nothing).
// ulimit-v: 400000
// expect: circular
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	void *big = malloc(250u << 20);
	printf("250 MB malloc: %s\n", big ? "ok" : "failed");
	free(big);
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	return 0;
}
