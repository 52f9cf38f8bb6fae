/* Module A of dlclose_remake.c: makes a lock at a site in this module. */
#include <pthread.h>

static int made;

void lib_make(pthread_mutex_t *m)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(m, &a);
	pthread_mutexattr_destroy(&a);
	made++;
}
