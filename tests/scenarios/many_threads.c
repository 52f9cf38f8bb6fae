/* Ten thousand threads (in waves of 200) and a thousand lock objects:
 * nothing lost, nothing reported. */
// expect: none
#include "scenario.h"

#define NLOCK 1000
static pthread_mutex_t locks[NLOCK];
static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static long counter;

static void *worker(void *arg)
{
	long i = (long)arg;
	L(&outer);
	L(&locks[i % NLOCK]);
	counter++;
	U(&locks[i % NLOCK]);
	U(&outer);
	return NULL;
}

int main(void)
{
	for (int i = 0; i < NLOCK; i++)
		pthread_mutex_init(&locks[i], NULL);
	pthread_t t[200];
	for (long wave = 0; wave < 50; wave++) {
		for (long i = 0; i < 200; i++)
			CHECK(pthread_create(&t[i], NULL, worker, (void *)(wave * 200 + i)) == 0);
		for (int i = 0; i < 200; i++)
			pthread_join(t[i], NULL);
	}
	CHECK(counter == 10000);
	return 0;
}
