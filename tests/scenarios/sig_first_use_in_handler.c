/* Static locks first seen inside a signal handler keep their own classes.
 * A handler takes alpha_lock, then mid_lock; a later run of the handler
 * takes mid_lock, then beta_lock; alpha_lock and beta_lock are first
 * taken there, through one helper, at the same call site. Orders:
 * alpha -> mid -> beta, no cycle. mid_lock is taken elsewhere only with
 * SIGUSR1 blocked. Silent; the class of a static lock does not depend on
 * where it was first taken. */
// expect: none
#include "scenario.h"

#include <signal.h>

pthread_mutex_t alpha_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t mid_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t beta_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t runs;

static __attribute__((noinline)) void grab(pthread_mutex_t *m)
{
	CHECK(L(m) == 0);
}

static void on_usr1(int sig)
{
	(void)sig;
	if (runs == 0) {
		grab(&alpha_lock);
		CHECK(L(&mid_lock) == 0);
		CHECK(U(&mid_lock) == 0);
		CHECK(U(&alpha_lock) == 0);
	} else {
		CHECK(L(&mid_lock) == 0);
		grab(&beta_lock);
		CHECK(U(&beta_lock) == 0);
		CHECK(U(&mid_lock) == 0);
	}
	runs++;
}

int main(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK(pthread_sigmask(SIG_BLOCK, &s, NULL) == 0);
	CHECK(L(&mid_lock) == 0);
	CHECK(U(&mid_lock) == 0);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &s, NULL) == 0);
	CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(runs == 2);
	return 0;
}
