/* Three threads in a ring, each holding one lock and waiting for the next. */
// expect: circular ring0 ring1 ring2
// expect: deadlock ring0 ring1 ring2
// options: deadlock_action=exit:42 deadlock_timeout_ms=300
// exit: 42
#include "scenario.h"

pthread_mutex_t ring0 = PTHREAD_MUTEX_INITIALIZER, ring1 = PTHREAD_MUTEX_INITIALIZER,
		ring2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *ring[] = { &ring0, &ring1, &ring2 };
static pthread_barrier_t all_hold;

static void *member(void *arg)
{
	long i = (long)arg;
	L(ring[i]);
	pthread_barrier_wait(&all_hold);
	L(ring[(i + 1) % 3]);
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	pthread_barrier_init(&all_hold, NULL, 3);
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, member, (void *)i);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	return 0;
}
