// A signal pending for the process is delivered to a new thread as soon as
// glibc unblocks it in start_thread, before the start routine: the handler
// is tracked as a handler (a lock it takes is not "taken with the signal
// deliverable"), so a later handler run gives no false inconsistent report.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t l = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t ran;

static void handler(int sig)
{
	(void)sig;
	pthread_mutex_lock(&l);
	ran++;
	pthread_mutex_unlock(&l);
}

static void *start(void *arg)
{
	(void)arg;
	int before = ran;
	raise(SIGUSR1); /* a tracked handler run on this thread */
	printf("handler before start routine: %d, after raise: %d\n", before, (int)ran);
	return NULL;
}

int main(void)
{
	signal(SIGUSR1, handler);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	pthread_mutex_lock(&l); /* safe: SIGUSR1 blocked here */
	pthread_mutex_unlock(&l);
	kill(getpid(), SIGUSR1); /* pending: every thread blocks it */
	pthread_attr_t a;
	pthread_attr_init(&a);
	sigset_t none;
	sigemptyset(&none);
	pthread_attr_setsigmask_np(&a, &none); /* the new thread unblocks it */
	pthread_t t;
	pthread_create(&t, &a, start, NULL);
	pthread_join(t, NULL);
	return 0;
}
