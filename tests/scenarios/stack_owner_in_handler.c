/* A stack lock of an interrupted frame, taken in a signal handler. No
 * stack walk runs inside a handler (its lock calls do not renew a stack
 * lock's identity, and a walk would cross the signal frame, whose size
 * depends on where the signal hit). owner() orders its local l -> g, the
 * handler takes l at several stack depths, then owner() orders g -> l:
 * the inversion is found on the one identity, which it would not be had
 * the handler's use given l a new one. Normal-context lock sections block
 * the signal, as the kernel's irq rules want. */
// expect: circular lock@owner
#include "scenario.h"
#include <signal.h>

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t *volatile target;
static volatile int sink, taken;

static void handler(int sig)
{
	(void)sig;
	if (target) {
		L(target);
		U(target);
		taken++;
	}
}

static __attribute__((noinline)) void deep(int n)
{
	if (n > 0) {
		deep(n - 1);
		sink = n;
		return;
	}
	raise(SIGUSR1);
}

static void mask(int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK(pthread_sigmask(how, &s, NULL) == 0);
}

static __attribute__((noinline)) void owner(void)
{
	pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
	mask(SIG_BLOCK);
	L(&l);
	L(&g);
	U(&g);
	U(&l);
	mask(SIG_UNBLOCK);
	target = &l;
	for (int i = 0; i < 8; i++)
		deep(i);
	target = NULL;
	mask(SIG_BLOCK);
	L(&g);
	L(&l);
	U(&l);
	U(&g);
	mask(SIG_UNBLOCK);
}

int main(void)
{
	signal(SIGUSR1, handler);
	owner();
	CHECK(taken == 8);
	return 0;
}
