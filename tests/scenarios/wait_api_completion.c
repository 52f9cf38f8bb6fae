/* A custom completion (a pipe) annotated with ulockdep_wait_begin/end and
 * ulockdep_event: the waiter holds dev_lock, the completer takes dev_lock
 * before it completes (in the second round). */
// expect: wait dev_lock probe_done
// options: wait_check=1
// stderr: event(probe_done) after taking dev_lock
#include <ulockdep.h>

#include "scenario.h"

pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
static int probe_done[2]; /* the completion object */
static int probed;

static void complete(void)
{
	ulockdep_event(probe_done);
	CHECK(write(probe_done[1], "x", 1) == 1);
}

static void wait_for_completion(void)
{
	char c;
	ulockdep_wait_begin(probe_done);
	CHECK(read(probe_done[0], &c, 1) == 1);
	ulockdep_wait_end(probe_done);
}

static void *prober(void *arg)
{
	(void)arg;
	complete(); /* round 1: without the lock */
	L(&dev_lock); /* round 2: the completer needs dev_lock */
	probed = 1;
	U(&dev_lock);
	complete();
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(probe_done) == 0);
	L(&dev_lock);
	pthread_create(&t, NULL, prober, NULL);
	wait_for_completion();
	U(&dev_lock);
	pthread_join(t, NULL);
	wait_for_completion();
	CHECK(probed == 1);
	return 0;
}
