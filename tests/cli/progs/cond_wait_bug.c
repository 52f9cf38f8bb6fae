/* A cond wait under outer_lock whose only signaller takes outer_lock on
 * its way (it gets it first here, so nothing hangs): one report of kind
 * wait (for the CLI tests). */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>

static pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready, waiting;
static atomic_int passed;

static void *signaller(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&outer_lock);
	pthread_mutex_unlock(&outer_lock);
	atomic_store(&passed, 1);
	pthread_mutex_lock(&m);
	while (!waiting) {
		pthread_mutex_unlock(&m);
		sched_yield();
		pthread_mutex_lock(&m);
	}
	ready++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&m);
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, signaller, NULL);
	while (!atomic_load(&passed))
		sched_yield();
	pthread_mutex_lock(&outer_lock);
	pthread_mutex_lock(&m);
	waiting = 1;
	while (!ready)
		pthread_cond_wait(&cv, &m);
	pthread_mutex_unlock(&m);
	pthread_mutex_unlock(&outer_lock);
	pthread_join(t, NULL);
	return 0;
}
