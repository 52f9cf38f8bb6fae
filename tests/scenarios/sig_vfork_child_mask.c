/* A vfork child that clears its signal mask before exec (as dash and
 * busybox do) changes only its own mask, not its parent's: the parent
 * keeps taking log_lock with SIGALRM blocked, so the lock used in the
 * SIGALRM handler is consistent. Before the fix the child's mask was
 * recorded as the parent's and "inconsistent lock state" followed. */
// expect: none
#include "scenario.h"

#include <signal.h>
#include <sys/wait.h>

pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
	(void)sig;
	pthread_mutex_lock(&log_lock);
	ticks++;
	pthread_mutex_unlock(&log_lock);
}

int main(void)
{
	signal(SIGALRM, on_alarm);
	raise(SIGALRM); /* log_lock is used in the handler */
	sigset_t alrm, old, none;
	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &alrm, &old);
	pid_t p = vfork();
	if (p == 0) {
		sigprocmask(SIG_SETMASK, &none, NULL);
		execl("/bin/true", "true", (char *)0);
		_exit(127);
	}
	int st;
	CHECK(p > 0 && waitpid(p, &st, 0) == p);
	pthread_mutex_lock(&log_lock); /* SIGALRM is still blocked here */
	ticks++;
	pthread_mutex_unlock(&log_lock);
	sigprocmask(SIG_SETMASK, &old, NULL);
	CHECK(ticks == 2);
	return 0;
}
