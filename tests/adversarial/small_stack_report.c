// A thread with the smallest stack (PTHREAD_STACK_MIN) takes A then B,
// then B then A: the report is made on a stack of the runtime's own. It
// used to overflow the thread's 16 KB stack (a crash).
// expect: circular
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t A = PTHREAD_MUTEX_INITIALIZER, B = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&A);
	pthread_mutex_lock(&B);
	pthread_mutex_unlock(&B);
	pthread_mutex_unlock(&A);
	pthread_mutex_lock(&B);
	pthread_mutex_lock(&A);
	pthread_mutex_unlock(&A);
	pthread_mutex_unlock(&B);
	return (void *)7;
}

int main(void)
{
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN);
	pthread_t t;
	void *r = NULL;
	int e = pthread_create(&t, &a, worker, NULL);
	if (!e)
		pthread_join(t, &r);
	printf("create %d, worker returned %p\n", e, r);
	return 0;
}
