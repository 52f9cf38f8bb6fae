/* A correct semaphore work pool: one job is slow, the other fast. Main
 * waits on 'done' (last posted by the fast worker), the fast worker waits
 * on 'job' (last posted by main), while the slow worker still runs and
 * will post. A wait-for graph that guessed "the" producer of a semaphore
 * called this a deadlock (and with deadlock_action=abort killed it). Only
 * lock waits and joins are followed: no report. */
// expect: none
// options: deadlock_action=abort deadlock_timeout_ms=200
#include <semaphore.h>

#include "scenario.h"

static sem_t job, done;
static int jobs[4] = { 1, 0, -1, -1 }, head;
static pthread_mutex_t jm = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	(void)arg;
	for (;;) {
		sem_wait(&job);
		pthread_mutex_lock(&jm);
		int j = jobs[head++];
		pthread_mutex_unlock(&jm);
		if (j < 0)
			return NULL;
		sleep((unsigned)j); /* the slow job outlasts the deadlock timeout */
		sem_post(&done);
	}
}

int main(void)
{
	sem_init(&job, 0, 0);
	sem_init(&done, 0, 0);
	pthread_t t[2];
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	sem_post(&job);
	usleep(100000);
	sem_post(&job);
	sem_wait(&done);
	sem_wait(&done);
	sem_post(&job);
	sem_post(&job);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
