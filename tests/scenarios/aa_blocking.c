/* AA with a plain lock: the report is out before the thread blocks forever
 * (the main thread then ends the process). */
// expect: recursive stuck_lock
// options: deadlock_detect=0
#include "scenario.h"

pthread_mutex_t stuck_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int reached;

static void *selfish(void *arg)
{
	(void)arg;
	L(&stuck_lock);
	reached = 1;
	L(&stuck_lock); /* blocks for good */
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, selfish, NULL);
	while (!reached)
		usleep(1000);
	usleep(200000);
	_exit(0);
}
