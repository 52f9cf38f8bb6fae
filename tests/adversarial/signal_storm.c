// A signal storm: four threads take locks (some with signals blocked) while
// another thread floods them with SIGUSR1/SIGUSR2 whose handlers take a
// handler-only lock. Consistent use: no report, no hang, same output.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>

static pthread_mutex_t hl = PTHREAD_MUTEX_INITIALIZER; /* handlers only */
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t shared = PTHREAD_MUTEX_INITIALIZER; /* signals blocked */
static atomic_long handled;
static atomic_int stop, done[4];

static void handler(int sig)
{
	(void)sig;
	pthread_mutex_lock(&hl);
	atomic_fetch_add(&handled, 1);
	pthread_mutex_unlock(&hl);
}

static void *worker(void *arg)
{
	long id = (long)arg;
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGUSR2);
	for (int i = 0; i < 20000; i++) {
		pthread_mutex_lock(&a);
		pthread_mutex_lock(&b);
		pthread_mutex_unlock(&b);
		pthread_mutex_unlock(&a);
		pthread_sigmask(SIG_BLOCK, &s, &old);
		pthread_mutex_lock(&shared);
		pthread_mutex_unlock(&shared);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	/* no more signals for this thread: block them, then say so */
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	atomic_store(&done[id], 1);
	return NULL;
}

static void *storm(void *arg)
{
	pthread_t *w = arg;
	for (unsigned i = 0; !atomic_load(&stop); i++)
		if (!atomic_load(&done[i % 4]))
			pthread_kill(w[i % 4], i & 1 ? SIGUSR1 : SIGUSR2);
	return NULL;
}

int main(void)
{
	struct sigaction sa = { 0 };
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask); /* each handler blocks the other: hl never nests */
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaddset(&sa.sa_mask, SIGUSR2);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	pthread_t w[4], st;
	for (int i = 0; i < 4; i++)
		pthread_create(&w[i], NULL, worker, (void *)(long)i);
	pthread_create(&st, NULL, storm, w);
	while (!(atomic_load(&done[0]) && atomic_load(&done[1]) && atomic_load(&done[2]) &&
		 atomic_load(&done[3])))
		sched_yield();
	atomic_store(&stop, 1);
	pthread_join(st, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(w[i], NULL);
	puts(atomic_load(&handled) > 0 ? "signals handled" : "no signal handled");
	return 0;
}
