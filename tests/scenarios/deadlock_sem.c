/* A real hang through a semaphore: main waits on 'tokens' holding lock_A;
 * the only thread that posts 'tokens' is blocked on lock_A. The wait-for
 * graph follows the semaphore to its one recent poster. */
// expect: deadlock lock_A
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
// stderr: WARNING: deadlock detected
// stderr: is waiting on semaphore
#include <semaphore.h>

#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;
sem_t tokens;
static int gate[2];

static void *poster(void *arg)
{
	char c;
	(void)arg;
	sem_post(&tokens);
	CHECK(read(gate[0], &c, 1) == 1);
	L(&lock_A);
	sem_post(&tokens);
	U(&lock_A);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(gate) == 0);
	sem_init(&tokens, 0, 0);
	pthread_create(&t, NULL, poster, NULL);
	sem_wait(&tokens);
	L(&lock_A);
	CHECK(write(gate[1], "x", 1) == 1);
	sem_wait(&tokens);
	U(&lock_A);
	pthread_join(t, NULL);
	return 0;
}
