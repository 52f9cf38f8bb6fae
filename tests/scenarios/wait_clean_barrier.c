/* Clean twin of wait_barrier_in_critical_section: every thread takes and
 * releases the lock before it arrives; nobody holds it at the barrier. */
// expect: none
// options: wait_check=1
#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t round_barrier;
static int table;

static void *phase(void *arg)
{
	(void)arg;
	for (int r = 0; r < 5; r++) {
		L(&table_lock);
		table++;
		U(&table_lock);
		pthread_barrier_wait(&round_barrier);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	pthread_barrier_init(&round_barrier, NULL, 3);
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, phase, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&round_barrier);
	CHECK(table == 15);
	return 0;
}
