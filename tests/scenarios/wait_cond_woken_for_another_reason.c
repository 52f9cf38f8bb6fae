/* main waits on data_ready holding outer_lock, in a loop on its predicate.
 * A broadcaster that never takes outer_lock wakes it for another reason
 * (the predicate stays false) and main waits again; the only thread that
 * makes the predicate true takes outer_lock first. A wake that does not
 * end the wait loop is no evidence that main can be woken without
 * outer_lock: this is still reported. (Here the signaller got outer_lock
 * before main; had main taken it first, neither would move again.) */
// expect: wait outer_lock data_ready
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, data_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t data_ready = PTHREAD_COND_INITIALIZER;
static int ready, waits, ticks;
static atomic_int passed;

/* until main has called the wait n times (it sleeps in one hold of data_lock) */
static void until_waits(int n)
{
	L(&data_lock);
	while (waits < n) {
		U(&data_lock);
		sched_yield();
		L(&data_lock);
	}
}

static void *ticker(void *arg)
{
	(void)arg;
	until_waits(1);
	ticks++; /* not what main waits for */
	pthread_cond_broadcast(&data_ready);
	U(&data_lock);
	return NULL;
}

static void *signaller(void *arg)
{
	(void)arg;
	L(&outer_lock); /* the only producer of 'ready' needs outer_lock */
	U(&outer_lock);
	atomic_store(&passed, 1);
	until_waits(2);
	ready = 1;
	pthread_cond_signal(&data_ready);
	U(&data_lock);
	return NULL;
}

int main(void)
{
	pthread_t t1, t2;
	pthread_create(&t2, NULL, signaller, NULL);
	while (!atomic_load(&passed))
		sched_yield();
	pthread_create(&t1, NULL, ticker, NULL);
	L(&outer_lock);
	L(&data_lock);
	while (!ready) {
		waits++;
		pthread_cond_wait(&data_ready, &data_lock);
	}
	U(&data_lock);
	U(&outer_lock);
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	CHECK(ticks == 1 && waits >= 2);
	return 0;
}
