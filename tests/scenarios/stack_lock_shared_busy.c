/* A mutex on main's stack, never initialised, shared with a worker that
 * takes it first. When main takes it while the worker holds it, it is the
 * same lock object still: it keeps its identity (a frame that reused the
 * address would have made it anew, unlocked). The worker took local_lock
 * then g_lock, main takes g_lock then local_lock: an inversion, reported.
 * Before, main's take gave the busy lock a new identity and class, and the
 * inversion was missed (in a real ABBA, until the hang). No deadlock here:
 * the worker's second hold takes nothing else. */
// expect: circular g_lock
#include <stdatomic.h>

#include "scenario.h"

pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int holding;

static void *worker(void *arg)
{
	pthread_mutex_t *local_lock = arg;
	L(local_lock);
	L(&g_lock);
	U(&g_lock);
	U(local_lock);
	L(local_lock);
	atomic_store(&holding, 1);
	usleep(100000);
	U(local_lock);
	return NULL;
}

int main(void)
{
	pthread_mutex_t local_lock; /* on main's stack */
	memset(&local_lock, 0, sizeof local_lock);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, worker, &local_lock) == 0);
	while (!atomic_load(&holding))
		usleep(1000);
	L(&g_lock);
	L(&local_lock); /* busy: waits for the worker */
	U(&local_lock);
	U(&g_lock);
	pthread_join(t, NULL);
	return 0;
}
