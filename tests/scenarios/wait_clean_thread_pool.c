/* A thread pool: workers wait for jobs, run them (jobs take a stats lock
 * and a per-job lock), and report completion on a second condvar. The
 * submitter waits for completion holding nothing, then shuts the pool down
 * and joins the workers. */
// expect: none
// options: wait_check=1
#include "scenario.h"

#define WORKERS 4
#define JOBS 64
pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t work_ready = PTHREAD_COND_INITIALIZER, work_done = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t job_locks[JOBS];
static int pending, done, stop, total;

static void run_job(int j)
{
	L(&job_locks[j]);
	L(&stats_lock);
	total += j;
	U(&stats_lock);
	U(&job_locks[j]);
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
		done++;
		pthread_cond_signal(&work_done);
		U(&pool_lock);
	}
}

int main(void)
{
	pthread_t t[WORKERS];
	for (int i = 0; i < JOBS; i++)
		pthread_mutex_init(&job_locks[i], NULL);
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	L(&pool_lock);
	pending = JOBS;
	pthread_cond_broadcast(&work_ready);
	while (done < JOBS)
		pthread_cond_wait(&work_done, &pool_lock);
	stop = 1;
	pthread_cond_broadcast(&work_ready);
	U(&pool_lock);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	CHECK(total == JOBS * (JOBS - 1) / 2);
	return 0;
}
