/* A cond wait under outer_lock, and a later signaller that takes
 * outer_lock first: one report of kind wait (for the CLI tests). */
#include <pthread.h>

static pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *signaller(void *arg)
{
	if (arg) {
		pthread_mutex_lock(&outer_lock);
		pthread_mutex_unlock(&outer_lock);
	}
	pthread_mutex_lock(&m);
	ready++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_mutex_lock(&outer_lock);
	pthread_mutex_lock(&m);
	pthread_create(&t, NULL, signaller, NULL);
	while (!ready)
		pthread_cond_wait(&cv, &m);
	pthread_mutex_unlock(&m);
	pthread_mutex_unlock(&outer_lock);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, signaller, &t);
	pthread_join(t, NULL);
	return 0;
}
