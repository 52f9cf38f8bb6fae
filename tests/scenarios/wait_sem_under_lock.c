/* sem_wait() while holding the mutex the poster takes before sem_post().
 * The semaphore already has a count here, so this run does not hang. */
// expect: wait queue_lock items
// options: wait_check=1
// stderr: sem_post(items) after taking queue_lock
#include <semaphore.h>

#include "scenario.h"

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
sem_t items;
static int queued;

static void *poster(void *arg)
{
	(void)arg;
	L(&queue_lock);
	queued++;
	U(&queue_lock);
	sem_post(&items);
	return NULL;
}

int main(void)
{
	sem_init(&items, 0, 1);
	on_thread(poster, NULL);
	L(&queue_lock);
	sem_wait(&items);
	U(&queue_lock);
	CHECK(queued == 1);
	return 0;
}
