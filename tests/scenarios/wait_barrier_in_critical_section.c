/* A barrier reached inside a critical section: one thread arrives holding
 * table_lock, another needs table_lock before it arrives. Round 1 and round
 * 2 never overlap, so this run passes; together they hang. */
// expect: wait table_lock round_barrier
// options: wait_check=1
// stderr: arrive(round_barrier) after taking table_lock
#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_barrier_t round_barrier;
static int table;

static void *holder(void *arg)
{
	(void)arg;
	L(&table_lock); /* round 1: arrives inside the critical section */
	table++;
	pthread_barrier_wait(&round_barrier);
	U(&table_lock);
	pthread_barrier_wait(&round_barrier); /* round 2 */
	return NULL;
}

static void *needer(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&round_barrier); /* round 1 */
	L(&table_lock); /* round 2: needs the lock to arrive */
	table++;
	U(&table_lock);
	pthread_barrier_wait(&round_barrier);
	return NULL;
}

int main(void)
{
	pthread_t a, b;
	pthread_barrier_init(&round_barrier, NULL, 2);
	pthread_create(&a, NULL, holder, NULL);
	pthread_create(&b, NULL, needer, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	CHECK(table == 2);
	return 0;
}
