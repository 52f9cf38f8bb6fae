/* A fork child's atfork handler makes a lock held across the fork anew
 * instead of unlocking it (jemalloc does this on Linux, and so does glibc
 * for its own locks): the lock is free in the child, with no report. The
 * child then takes it again. Before, the re-init was reported as "held
 * lock freed" and the child's lock as recursive locking. */
// expect: none
#include "scenario.h"

#include <sys/wait.h>

static pthread_mutex_t arena_lock;

static void prepare(void) { L(&arena_lock); }
static void parent(void) { U(&arena_lock); }
static void child(void) { CHECK(pthread_mutex_init(&arena_lock, NULL) == 0); }

int main(void)
{
	CHECK(pthread_mutex_init(&arena_lock, NULL) == 0);
	CHECK(pthread_atfork(prepare, parent, child) == 0);
	pid_t p = fork();
	if (p == 0) {
		L(&arena_lock);
		U(&arena_lock);
		_exit(0);
	}
	int st;
	CHECK(p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	L(&arena_lock);
	U(&arena_lock);
	return 0;
}
