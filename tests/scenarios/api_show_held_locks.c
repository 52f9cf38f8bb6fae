/* ulockdep_show_held_locks(): prints every thread's held locks, as the
 * kernel's debug_show_all_locks(). Main holds list_lock and item_lock, a
 * worker holds stats_lock; later nobody holds anything. No report. */
// expect: none
// stderr: Showing all locks held in the system:
// stderr: 2 locks held by
// stderr: #0: 
// stderr: (list_lock)
// stderr: (item_lock)
// stderr: 1 lock held by stats_worker/
// stderr: (stats_lock)
// stderr: no locks held by any thread.
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t list_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t item_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t held, shown;

static void *worker(void *arg)
{
	(void)arg;
	CHECK(L(&stats_lock) == 0);
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&shown);
	CHECK(U(&stats_lock) == 0);
	return NULL;
}

int main(void)
{
	pthread_barrier_init(&held, NULL, 2);
	pthread_barrier_init(&shown, NULL, 2);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
	pthread_setname_np(t, "stats_worker");
	CHECK(L(&list_lock) == 0);
	CHECK(L(&item_lock) == 0);
	pthread_barrier_wait(&held);
	ulockdep_show_held_locks();
	pthread_barrier_wait(&shown);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(U(&item_lock) == 0);
	CHECK(U(&list_lock) == 0);
	ulockdep_show_held_locks();
	return 0;
}
