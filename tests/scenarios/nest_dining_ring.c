/* Dining philosophers done wrong: five forks from one init site (one
 * class, five instances); philosopher i takes fork i, then fork i+1 mod 5.
 * The instance order 0->1->2->3->4->0 is a ring: if all five pick up their
 * left fork at once, nobody eats. The philosophers here eat one after the
 * other (no real hang), and the ring closes when the last one takes fork
 * 4 then fork 0: one circular report, the fork class in every step, the
 * instances listed. */
// expect: circular forks
// stderr: Instances of one class in the cycle:
// stderr: forks+0x
#include "scenario.h"

#define N 5

struct fork_ {
	pthread_mutex_t lock;
	char pad[24];
};

static struct fork_ forks[N];

static void *philosopher(void *arg)
{
	int id = (int)(long)arg;
	CHECK(L(&forks[id].lock) == 0);
	CHECK(L(&forks[(id + 1) % N].lock) == 0);
	CHECK(U(&forks[(id + 1) % N].lock) == 0);
	CHECK(U(&forks[id].lock) == 0);
	return NULL;
}

int main(void)
{
	for (int i = 0; i < N; i++)
		CHECK(pthread_mutex_init(&forks[i].lock, NULL) == 0);
	for (long i = 0; i < N; i++)
		on_thread(philosopher, (void *)i);
	return 0;
}
