/* Blocking the signal around a lock makes it signal-safe, as disabling
 * interrupts does in the kernel. log_lock is taken in the SIGUSR1 and
 * SIGUSR2 handlers (each installed with sigaction(), the other signal in
 * sa_mask), and elsewhere only with both signals blocked: with
 * pthread_sigmask() on one thread, sigprocmask() on another. Silent.
 * Control: stat_lock is taken in a SIGALRM handler installed with
 * signal(); one thread blocks SIGALRM around it, another forgets to:
 * inconsistent. */
// expect: inconsistent stat_lock
// stderr: [SIGALRM, not in handler]
#include "scenario.h"

#include <signal.h>

pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stat_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ran;
static sigset_t usr_set, alrm_set;
static int logged, stats;

static void on_usr(int sig)
{
	(void)sig;
	CHECK(L(&log_lock) == 0);
	logged++;
	CHECK(U(&log_lock) == 0);
	ran++;
}

static void on_alrm(int sig)
{
	(void)sig;
	CHECK(L(&stat_lock) == 0);
	stats++;
	CHECK(U(&stat_lock) == 0);
	ran++;
}

static void *masked_pthread(void *arg)
{
	(void)arg;
	CHECK(pthread_sigmask(SIG_BLOCK, &usr_set, NULL) == 0);
	CHECK(L(&log_lock) == 0);
	logged++;
	CHECK(U(&log_lock) == 0);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &usr_set, NULL) == 0);
	return NULL;
}

static void *masked_sigprocmask(void *arg)
{
	(void)arg;
	sigset_t old;
	CHECK(sigprocmask(SIG_BLOCK, &usr_set, &old) == 0);
	CHECK(L(&log_lock) == 0);
	logged++;
	CHECK(U(&log_lock) == 0);
	CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
	CHECK(pthread_sigmask(SIG_BLOCK, &alrm_set, NULL) == 0);
	CHECK(L(&stat_lock) == 0);
	stats++;
	CHECK(U(&stat_lock) == 0);
	return NULL;
}

static void *forgetful(void *arg)
{
	(void)arg;
	CHECK(L(&stat_lock) == 0); /* SIGALRM deliverable */
	stats++;
	CHECK(U(&stat_lock) == 0);
	return NULL;
}

static void install(int sig, int other)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, other);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

int main(void)
{
	sigemptyset(&usr_set);
	sigaddset(&usr_set, SIGUSR1);
	sigaddset(&usr_set, SIGUSR2);
	sigemptyset(&alrm_set);
	sigaddset(&alrm_set, SIGALRM);
	install(SIGUSR1, SIGUSR2);
	install(SIGUSR2, SIGUSR1);
	CHECK(signal(SIGALRM, on_alrm) != SIG_ERR);

	CHECK(raise(SIGUSR1) == 0 && raise(SIGUSR2) == 0);
	on_thread(masked_pthread, NULL);
	on_thread(masked_sigprocmask, NULL);
	CHECK(raise(SIGALRM) == 0);
	on_thread(forgetful, NULL);
	CHECK(ran == 3 && logged == 4 && stats == 3);
	return 0;
}
