/* Signals sent with pthread_kill() to a worker that waits in sigsuspend().
 * The worker keeps SIGUSR1 and SIGUSR2 blocked, except inside
 * sigsuspend(&empty), where the handlers run. So the handlers run with the
 * sigsuspend() mask, not the worker's usual one: the SIGUSR1 handler
 * (sa_mask empty) runs with SIGUSR2 deliverable; the SIGUSR2 handler has
 * SIGUSR1 in sa_mask.
 * queue_lock: taken in the SIGUSR1 handler, and by the worker with both
 * signals blocked: consistent, silent.
 * ev_lock: taken in both handlers. SIGUSR2 can interrupt the SIGUSR1
 * handler while it holds ev_lock, and the SIGUSR2 handler then waits for
 * it forever: inconsistent, for SIGUSR2. */
// expect: inconsistent ev_lock
// stderr: [SIGUSR2
#include "scenario.h"

#include <signal.h>

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t ev_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t got1, got2;
static int queued;
static pthread_barrier_t ready;

static void on_usr1(int sig)
{
	(void)sig;
	CHECK(L(&queue_lock) == 0);
	queued++;
	CHECK(U(&queue_lock) == 0);
	CHECK(L(&ev_lock) == 0);
	CHECK(U(&ev_lock) == 0);
	got1++;
}

static void on_usr2(int sig)
{
	(void)sig;
	CHECK(L(&ev_lock) == 0);
	CHECK(U(&ev_lock) == 0);
	got2++;
}

static void *worker(void *arg)
{
	(void)arg;
	sigset_t both, empty;
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	sigemptyset(&empty);
	CHECK(pthread_sigmask(SIG_BLOCK, &both, NULL) == 0);
	CHECK(L(&queue_lock) == 0); /* signals blocked: fine */
	queued++;
	CHECK(U(&queue_lock) == 0);
	pthread_barrier_wait(&ready);
	while (!got1)
		sigsuspend(&empty);
	pthread_barrier_wait(&ready);
	while (!got2)
		sigsuspend(&empty);
	return NULL;
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	sa.sa_handler = on_usr2;
	sigaddset(&sa.sa_mask, SIGUSR1);
	CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
	sigset_t both;
	sigemptyset(&both);
	sigaddset(&both, SIGUSR1);
	sigaddset(&both, SIGUSR2);
	CHECK(pthread_sigmask(SIG_BLOCK, &both, NULL) == 0); /* only the worker takes them */
	pthread_barrier_init(&ready, NULL, 2);
	pthread_t t;
	CHECK(pthread_create(&t, NULL, worker, NULL) == 0);
	pthread_barrier_wait(&ready);
	CHECK(pthread_kill(t, SIGUSR1) == 0);
	pthread_barrier_wait(&ready);
	CHECK(pthread_kill(t, SIGUSR2) == 0);
	CHECK(pthread_join(t, NULL) == 0);
	CHECK(got1 == 1 && got2 == 1 && queued == 2);
	return 0;
}
