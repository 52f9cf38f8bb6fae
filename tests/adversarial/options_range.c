// Out-of-range option values never crash the runtime: it clamps them.
// opts: max_classes=-1:max_locks=-5:deadlock_timeout_ms=-3:exitcode=-2
// expect: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	puts("done");
	return 0;
}
