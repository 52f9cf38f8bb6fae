/* A handler that only trylocks a lock, and defers its work when the lock
 * is busy, cannot deadlock on it: like the kernel's mark_usage, a trylock
 * in a handler does not mark the class as used in that signal. The main
 * thread takes log_lock with SIGALRM deliverable before and after: no
 * inconsistent-state report. (sig_irqsafe* show the blocking case.) */
// expect: none
#include "scenario.h"

#include <signal.h>

pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t done, deferred;

static void on_alarm(int sig)
{
	(void)sig;
	if (pthread_mutex_trylock(&log_lock) == 0) {
		done++;
		pthread_mutex_unlock(&log_lock);
	} else {
		deferred++;
	}
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	raise(SIGALRM);
	for (int i = 0; i < 3; i++) {
		pthread_mutex_lock(&log_lock);
		pthread_mutex_unlock(&log_lock);
	}
	raise(SIGALRM);
	CHECK(done + deferred == 2);
	return 0;
}
