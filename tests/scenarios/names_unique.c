/* Two classes must never print the same name. The locks of one array are
 * initialised at two sites (two loops): two classes, each with all its
 * locks in `forks`, so both would print "forks" and the real inversion
 * between them would read like recursion. The second one to be named is
 * printed "forks #2". */
// expect: circular forks
// stderr: forks #2
#include "scenario.h"

pthread_mutex_t forks[4];

int main(void)
{
	for (int i = 0; i < 2; i++)
		pthread_mutex_init(&forks[i], NULL);
	for (int i = 2; i < 4; i++)
		pthread_mutex_init(&forks[i], NULL);
	L(&forks[0]);
	L(&forks[3]);
	U(&forks[3]);
	U(&forks[0]);
	L(&forks[2]);
	L(&forks[1]);
	U(&forks[1]);
	U(&forks[2]);
	return 0;
}
