/* What the signal-usage reports say.
 * log_lock is first taken with SIGUSR1 blocked (blocked_site: other
 * signals deliverable), then with SIGUSR1 deliverable (unsafe_site), then
 * in a SIGUSR1 handler: inconsistent. The "{SIGNAL-ON-W} state was
 * registered at:" stack must be the acquisition that made it unsafe for
 * SIGUSR1, unsafe_site, not blocked_site.
 * safe_lock is taken in a SIGUSR2 handler; with SIGUSR2 blocked it is held
 * while taking cfg_lock; then cfg_lock is taken with SIGUSR2 deliverable.
 * cfg_lock "just changed" state, and the report says it was taken by
 * another, SIGNAL-safe lock in the past (the kernel's wording for this
 * direction), naming safe_lock. */
// expect: inconsistent log_lock
// expect: context_order safe_lock cfg_lock
// stderr: unsafe_site+
// stderr: but this lock was taken by another, SIGNAL-safe lock in the past:
#include "scenario.h"

#include <signal.h>

pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t safe_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ran;

static void mask(int how, int sig)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, sig);
	CHECK(pthread_sigmask(how, &s, NULL) == 0);
}

static void on_usr1(int sig)
{
	(void)sig;
	CHECK(L(&log_lock) == 0 && U(&log_lock) == 0);
	ran++;
}

static void on_usr2(int sig)
{
	(void)sig;
	CHECK(L(&safe_lock) == 0 && U(&safe_lock) == 0);
	ran++;
}

static __attribute__((noinline)) void blocked_site(void)
{
	mask(SIG_BLOCK, SIGUSR1);
	CHECK(L(&log_lock) == 0 && U(&log_lock) == 0);
	mask(SIG_UNBLOCK, SIGUSR1);
}

static __attribute__((noinline)) void unsafe_site(void)
{
	CHECK(L(&log_lock) == 0 && U(&log_lock) == 0);
}

int main(void)
{
	CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR);
	CHECK(signal(SIGUSR2, on_usr2) != SIG_ERR);
	blocked_site();
	unsafe_site();
	CHECK(raise(SIGUSR1) == 0);

	CHECK(raise(SIGUSR2) == 0);
	mask(SIG_BLOCK, SIGUSR2);
	CHECK(L(&safe_lock) == 0 && L(&cfg_lock) == 0 && U(&cfg_lock) == 0 && U(&safe_lock) == 0);
	mask(SIG_UNBLOCK, SIGUSR2);
	CHECK(L(&cfg_lock) == 0 && U(&cfg_lock) == 0);
	CHECK(ran == 2);
	return 0;
}
