/* The signal mask is part of what the fast path remembers. stat_lock is
 * taken in a SIGUSR1 handler, then by main with SIGUSR1 blocked (safe)
 * until that chain is cached and remembered, then once more with SIGUSR1
 * deliverable: the same lock on the same (empty) chain, but under another
 * mask, so it must be validated again: inconsistent. */
// expect: inconsistent stat_lock
// stderr: [SIGUSR1, not in handler]
#include "scenario.h"

#include <signal.h>

pthread_mutex_t stat_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ran;
static int stats;

static void on_usr(int sig)
{
	(void)sig;
	CHECK(L(&stat_lock) == 0);
	stats++;
	CHECK(U(&stat_lock) == 0);
	ran++;
}

int main(void)
{
	sigset_t usr;
	sigemptyset(&usr);
	sigaddset(&usr, SIGUSR1);
	struct sigaction sa = { .sa_handler = on_usr };
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(ran == 1);
	CHECK(pthread_sigmask(SIG_BLOCK, &usr, NULL) == 0);
	for (int i = 0; i < 4; i++) {
		CHECK(L(&stat_lock) == 0);
		stats++;
		CHECK(U(&stat_lock) == 0);
	}
	CHECK(pthread_sigmask(SIG_UNBLOCK, &usr, NULL) == 0);
	CHECK(L(&stat_lock) == 0); /* SIGUSR1 deliverable */
	stats++;
	CHECK(U(&stat_lock) == 0);
	return stats == 6 ? 0 : 1;
}
