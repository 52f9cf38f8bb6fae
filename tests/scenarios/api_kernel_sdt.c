/* The kernel-compatible header's DEPT spellings: sdt_might_sleep_start/end
 * around a sleep and sdt_event where the event happens. The sleeper holds
 * io_lock; the waker takes io_lock before it wakes it (in a later round,
 * so this run does not hang). */
// expect: wait io_lock io_done
// options: wait_check=1
#include <ulockdep/lockdep.h>

#include "scenario.h"

pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;
static int io_done[2];

static void wake(void)
{
	sdt_event(io_done);
	CHECK(write(io_done[1], "x", 1) == 1);
}

static void sleep_for_io(void)
{
	char c;
	sdt_might_sleep_start(io_done);
	CHECK(read(io_done[0], &c, 1) == 1);
	sdt_might_sleep_end(io_done);
}

static void *waker(void *arg)
{
	(void)arg;
	wake();
	L(&io_lock);
	U(&io_lock);
	wake();
	return NULL;
}

int main(void)
{
	pthread_t t;
	CHECK(pipe(io_done) == 0);
	L(&io_lock);
	pthread_create(&t, NULL, waker, NULL);
	sleep_for_io();
	U(&io_lock);
	pthread_join(t, NULL);
	sleep_for_io();
	return 0;
}
