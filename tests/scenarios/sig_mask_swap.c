/* sigprocmask(SIG_SETMASK, &s, &s) swaps masks in place: the new mask must
 * be read before the call overwrites it. The lock is only taken with
 * SIGUSR1 blocked: silent. */
// expect: none
#include "scenario.h"

#include <signal.h>

pthread_mutex_t swap_lock = PTHREAD_MUTEX_INITIALIZER;

static void handler(int s)
{
	(void)s;
	L(&swap_lock);
	U(&swap_lock);
}

int main(void)
{
	signal(SIGUSR1, handler);
	raise(SIGUSR1);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK(sigprocmask(SIG_SETMASK, &s, &s) == 0);
	CHECK(!sigismember(&s, SIGUSR1)); /* s now holds the old mask */
	L(&swap_lock);
	U(&swap_lock);
	sigprocmask(SIG_SETMASK, &s, NULL);
	return 0;
}
