/* Dining philosophers done right: five forks, all made at one init site
 * (set_table), so one lock class with five instances; each philosopher
 * takes the LOWER-numbered of its two forks first. Instance order is then
 * 0->1, 1->2, 2->3, 3->4 and 0->4: acyclic, whoever runs when. Five
 * threads really eat concurrently: no report, and every meal is counted. */
// expect: none
#include "scenario.h"

#define N 5
#define MEALS 400

struct fork_ {
	pthread_mutex_t lock;
	long uses;
};

static struct fork_ forks[N];
static long meals[N];

static void set_table(void)
{
	for (int i = 0; i < N; i++)
		CHECK(pthread_mutex_init(&forks[i].lock, NULL) == 0);
}

static void *philosopher(void *arg)
{
	int id = (int)(long)arg;
	int left = id, right = (id + 1) % N;
	int first = left < right ? left : right, second = left < right ? right : left;
	for (int m = 0; m < MEALS; m++) {
		CHECK(L(&forks[first].lock) == 0);
		CHECK(L(&forks[second].lock) == 0);
		forks[first].uses++;
		forks[second].uses++;
		meals[id]++;
		CHECK(U(&forks[second].lock) == 0);
		CHECK(U(&forks[first].lock) == 0);
	}
	return NULL;
}

int main(void)
{
	set_table();
	pthread_t t[N];
	for (long i = 0; i < N; i++)
		CHECK(pthread_create(&t[i], NULL, philosopher, (void *)i) == 0);
	long uses = 0;
	for (int i = 0; i < N; i++) {
		CHECK(pthread_join(t[i], NULL) == 0);
		CHECK(meals[i] == MEALS);
	}
	for (int i = 0; i < N; i++)
		uses += forks[i].uses;
	CHECK(uses == 2L * N * MEALS);
	return 0;
}
