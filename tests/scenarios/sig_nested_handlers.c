/* Signal handlers that share a lock: the handler of one signal is
 * "process context" for any other signal it does not block.
 * ring_lock is taken in the SIGUSR1 and SIGUSR2 handlers, each installed
 * with the other signal in sa_mask: neither can interrupt the other,
 * silent. irq_lock is taken in the SIGTERM handler (SIGHUP in sa_mask)
 * and in the SIGHUP handler, which leaves SIGTERM deliverable: SIGTERM
 * can interrupt the SIGHUP handler while it holds irq_lock, and its own
 * handler then waits for irq_lock forever: inconsistent, for SIGTERM. */
// expect: inconsistent irq_lock
// stderr: [SIGTERM
#include "scenario.h"

#include <signal.h>

pthread_mutex_t ring_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t irq_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ran;

static void take_ring(int sig)
{
	(void)sig;
	CHECK(L(&ring_lock) == 0);
	CHECK(U(&ring_lock) == 0);
	ran++;
}

static void take_irq(int sig)
{
	(void)sig;
	CHECK(L(&irq_lock) == 0);
	CHECK(U(&irq_lock) == 0);
	ran++;
}

static void install(int sig, void (*fn)(int), int masked)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = fn;
	sigemptyset(&sa.sa_mask);
	if (masked)
		sigaddset(&sa.sa_mask, masked);
	CHECK(sigaction(sig, &sa, NULL) == 0);
}

int main(void)
{
	install(SIGUSR1, take_ring, SIGUSR2);
	install(SIGUSR2, take_ring, SIGUSR1);
	install(SIGTERM, take_irq, SIGHUP);
	install(SIGHUP, take_irq, 0);
	CHECK(raise(SIGUSR1) == 0);
	CHECK(raise(SIGUSR2) == 0);
	CHECK(raise(SIGTERM) == 0);
	CHECK(raise(SIGHUP) == 0);
	CHECK(ran == 4);
	return 0;
}
