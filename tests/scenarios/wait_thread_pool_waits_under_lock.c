/* Bug twin of wait_clean_thread_pool: the submitter waits for the jobs to
 * complete while holding stats_lock, and every job takes stats_lock. The
 * workers got stats_lock before the submitter here; had the submitter
 * taken it first, no job could finish and the wait would never end. */
// expect: wait stats_lock work_done
#include <sched.h>
#include <stdatomic.h>

#include "scenario.h"

#define WORKERS 2
#define JOBS 2
pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER, work_done = PTHREAD_COND_INITIALIZER;
static int pending, done, stop, total, waiting;
static atomic_int counted;

static void run_job(int j)
{
	L(&stats_lock);
	total += j;
	U(&stats_lock);
	atomic_fetch_add(&counted, 1);
}

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		L(&pool_lock);
		while (!pending && !stop)
			pthread_cond_wait(&work_ready, &pool_lock);
		if (!pending) {
			U(&pool_lock);
			return NULL;
		}
		int j = --pending;
		U(&pool_lock);
		run_job(j);
		L(&pool_lock);
		while (!waiting) { /* the submitter sets it and sleeps in one hold */
			U(&pool_lock);
			sched_yield();
			L(&pool_lock);
		}
		done++;
		pthread_cond_signal(&work_done);
		U(&pool_lock);
	}
}

int main(void)
{
	pthread_t t[WORKERS];
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	L(&pool_lock);
	pending = JOBS;
	pthread_cond_broadcast(&work_ready);
	U(&pool_lock);
	while (atomic_load(&counted) < JOBS)
		sched_yield();
	L(&stats_lock); /* the bug: held across the wait for the jobs */
	L(&pool_lock);
	waiting = 1;
	while (done < JOBS)
		pthread_cond_wait(&work_done, &pool_lock);
	stop = 1;
	pthread_cond_broadcast(&work_ready);
	U(&pool_lock);
	U(&stats_lock);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	CHECK(total == JOBS * (JOBS - 1) / 2);
	return 0;
}
