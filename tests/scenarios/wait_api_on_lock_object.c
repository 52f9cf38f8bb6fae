/* An annotated completion that starts with its own mutex: the event and
 * the lock share an address. Both keep their identity: the wait under
 * dev_lock and the completer taking dev_lock are a wait report, and the
 * completion's mutex is still a lock: taken under dev_lock in wait_for()
 * and before dev_lock at the end, a circular report. */
// expect: wait dev_lock done
// options: wait_check=1
// expect: circular dev_lock done
#include <ulockdep.h>

#include "scenario.h"

struct completion {
	pthread_mutex_t lock; /* first member: same address as the completion */
	int fd[2];
	int done;
};

pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
struct completion done = { PTHREAD_MUTEX_INITIALIZER, { -1, -1 }, 0 };

static void complete(struct completion *c)
{
	ulockdep_event(c);
	L(&c->lock);
	c->done++;
	U(&c->lock);
	CHECK(write(c->fd[1], "x", 1) == 1);
}

static void wait_for(struct completion *c)
{
	char b;
	ulockdep_wait_begin(c);
	CHECK(read(c->fd[0], &b, 1) == 1);
	ulockdep_wait_end(c);
	L(&c->lock);
	CHECK(c->done > 0);
	U(&c->lock);
}

static void *completer(void *arg)
{
	(void)arg;
	complete(&done);
	L(&dev_lock);
	U(&dev_lock);
	complete(&done);
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(done.fd) == 0);
	L(&dev_lock);
	pthread_create(&t, NULL, completer, NULL);
	wait_for(&done);
	U(&dev_lock);
	pthread_join(t, NULL);
	wait_for(&done);
	L(&done.lock);
	L(&dev_lock); /* the mutex is still a lock: done.lock -> dev_lock closes an ABBA */
	U(&dev_lock);
	U(&done.lock);
	return 0;
}
