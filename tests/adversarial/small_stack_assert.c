// A failing assertion and an unlock of a lock never locked, on a thread with
// the smallest stack: both reports go through the core's one sink, which
// makes them on a runtime stack. They used to be made directly, on the
// thread's 16 KB stack (a crash).
// expect: assert bad_unlock
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <ulockdep.h>

static pthread_mutex_t never_taken = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t idle = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	ulockdep_assert_held(&never_taken);
	pthread_mutex_unlock(&idle); /* a default mutex: glibc does not check */
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
