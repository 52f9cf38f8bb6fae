/* Clean twin of wait_api_completion: the waiter releases dev_lock before
 * it waits for the completion the prober signals after taking dev_lock. */
// expect: none
// options: wait_check=1
#include <ulockdep.h>

#include "scenario.h"

pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
static int probe_done[2];
static int probed;

static void *prober(void *arg)
{
	(void)arg;
	L(&dev_lock);
	probed = 1;
	U(&dev_lock);
	ulockdep_event(probe_done);
	CHECK(write(probe_done[1], "x", 1) == 1);
	return NULL;
}

int main(void)
{
	char c;
	pthread_t t;
	CHECK(pipe(probe_done) == 0);
	pthread_create(&t, NULL, prober, NULL);
	L(&dev_lock);
	U(&dev_lock);
	ulockdep_wait_begin(probe_done);
	CHECK(read(probe_done[0], &c, 1) == 1);
	ulockdep_wait_end(probe_done);
	pthread_join(t, NULL);
	CHECK(probed == 1);
	return 0;
}
