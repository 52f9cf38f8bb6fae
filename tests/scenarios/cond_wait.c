/* pthread_cond_wait releases and re-takes the mutex inside libc; the model
 * must follow, so a wait under another lock orders correctly and the
 * unlock after the wait is balanced. */
// expect: circular outer_lock wait_lock
#include "scenario.h"

pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER, outer_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *signaller(void *arg)
{
	(void)arg;
	L(&wait_lock);
	ready = 1;
	pthread_cond_signal(&cv);
	U(&wait_lock);
	return NULL;
}

int main(void)
{
	/* wait_lock -> outer_lock ... */
	L(&wait_lock);
	L(&outer_lock);
	U(&outer_lock);
	U(&wait_lock);
	/* ... and outer_lock -> wait_lock via the condvar's re-acquire */
	pthread_t t;
	L(&outer_lock);
	L(&wait_lock);
	pthread_create(&t, NULL, signaller, NULL);
	while (!ready)
		pthread_cond_wait(&cv, &wait_lock);
	U(&wait_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	return 0;
}
