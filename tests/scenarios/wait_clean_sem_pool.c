/* A semaphore used as a pool of tokens: one thread holds its own lock
 * across take and give-back; the others never need that lock. The poster
 * took nothing since its own wait, so the semaphore depends on no lock. */
// expect: none
// options: wait_check=1
#include <semaphore.h>

#include "scenario.h"

pthread_mutex_t owner_lock = PTHREAD_MUTEX_INITIALIZER, count_lock = PTHREAD_MUTEX_INITIALIZER;
sem_t pool;
static int used;

static void *user(void *arg)
{
	(void)arg;
	for (int i = 0; i < 100; i++) {
		sem_wait(&pool);
		sem_post(&pool);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	sem_init(&pool, 0, 2);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, user, NULL);
	for (int i = 0; i < 100; i++) {
		L(&owner_lock);
		sem_wait(&pool);
		L(&count_lock);
		used++;
		U(&count_lock);
		sem_post(&pool);
		U(&owner_lock);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	CHECK(used == 100);
	return 0;
}
