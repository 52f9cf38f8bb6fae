// A thread with a cancel pending reports a lock inversion: the runtime's
// report (symbolizer, files) holds no cancellation point, so the thread
// returns from pthread_mutex_lock (not a cancellation point), and later
// reports from other threads still work.
// expect: circular bad_unlock
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;
static volatile int reached;

static void *victim(void *arg)
{
	(void)arg;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
	pthread_barrier_wait(&bar); /* main cancels us now: pending */
	pthread_barrier_wait(&bar);
	pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
	pthread_mutex_lock(&b);
	pthread_mutex_lock(&a); /* b -> a closes a cycle: a report */
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&b);
	reached = 1;
	pthread_testcancel();
	return NULL;
}

int main(void)
{
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_unlock(&a);
	pthread_barrier_init(&bar, NULL, 2);
	pthread_t t;
	pthread_create(&t, NULL, victim, NULL);
	pthread_barrier_wait(&bar);
	pthread_cancel(t);
	pthread_barrier_wait(&bar);
	void *ret;
	pthread_join(t, &ret);
	printf("cancelled: %s, after the locks: %s\n", ret == PTHREAD_CANCELED ? "yes" : "no",
	       reached ? "yes" : "no");
	pthread_mutex_lock(&c);
	pthread_mutex_unlock(&c);
	pthread_mutex_unlock(&c); /* a second report must not hang */
	puts("done");
	return 0;
}
