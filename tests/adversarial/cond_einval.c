// A condition wait that fails with EINVAL (bad timespec, bad clock) returns
// with the mutex still held: the program's next unlock is correct.
// expect: none
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <threads.h>
#include <time.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;

int main(void)
{
	struct timespec bad = { 0, 2000000000L };
	pthread_mutex_lock(&m);
	printf("timedwait: %s\n", strerror(pthread_cond_timedwait(&c, &m, &bad)));
	printf("unlock: %s\n", strerror(pthread_mutex_unlock(&m)));
	pthread_mutex_lock(&m);
	struct timespec ok = { 0, 0 };
	printf("clockwait bad clock: %s\n", strerror(pthread_cond_clockwait(&c, &m, 12345, &ok)));
	printf("unlock: %s\n", strerror(pthread_mutex_unlock(&m)));
	mtx_t cm;
	cnd_t cc;
	mtx_init(&cm, mtx_plain);
	cnd_init(&cc);
	mtx_lock(&cm);
	printf("cnd_timedwait: %d\n", cnd_timedwait(&cc, &cm, &bad));
	printf("mtx_unlock: %d\n", mtx_unlock(&cm));
	return 0;
}
