/* Two handlers at the same nesting depth with the same mask are different
 * contexts: the SIGUSR2 handler's use of the lock must be recorded even
 * though the SIGUSR1 handler's identical chain was seen first. Then the
 * lock is taken with SIGUSR2 deliverable: inconsistent. */
// expect: inconsistent shared_lock
// stderr: [SIGUSR2
#include "scenario.h"

#include <signal.h>

pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;

static void handler(int s)
{
	(void)s;
	L(&shared_lock);
	U(&shared_lock);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	raise(SIGUSR1);
	raise(SIGUSR2);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	L(&shared_lock); /* SIGUSR2 deliverable */
	U(&shared_lock);
	return 0;
}
