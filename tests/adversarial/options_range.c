// The extremes of every numeric option's range work (the parser rejects
// values outside it; the runtime clamps again whatever arrives).
// opts: max_classes=16777216:max_locks=16:deadlock_timeout_ms=1:exitcode=255
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
