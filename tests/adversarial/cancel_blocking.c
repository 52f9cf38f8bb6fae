// Cancellation at every blocking call, each with a cleanup handler that
// unlocks a mutex taken before the call: condition waits (which give the
// mutex back), sleeps, reads, joins, semaphores, sigwait, barrier-less
// polls. Each thread is cancelled exactly as with glibc alone, and the
// model of held locks stays balanced (no report).
// expect: none
#define _GNU_SOURCE
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static sem_t sem;
static int pipefd[2];
static pthread_t forever;
static volatile int started;

static void unlock_m(void *arg)
{
	if (*(volatile int *)arg)
		pthread_mutex_unlock(&m);
}

static void *run(void *arg)
{
	long which = (long)arg;
	struct timespec far = { time(NULL) + 3600, 0 };
	char c;
	volatile int held = 1;
	pthread_mutex_lock(&m);
	pthread_cleanup_push(unlock_m, (void *)&held);
	if (which >= 2) { /* the non-condvar calls run without m held */
		held = 0;
		pthread_mutex_unlock(&m);
	}
	__atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
	switch (which) {
	case 0: pthread_cond_wait(&cv, &m); break;
	case 1: pthread_cond_timedwait(&cv, &m, &far); break;
	case 2: sleep(3600); break;
	case 3: if (read(pipefd[0], &c, 1) < 0) puts("read failed"); break;
	case 4: sem_wait(&sem); break;
	case 5: poll(NULL, 0, 3600 * 1000); break;
	case 6: select(0, NULL, NULL, NULL, &(struct timeval){ 3600, 0 }); break;
	case 7: pthread_join(forever, NULL); break;
	case 8: { sigset_t s; int sig; sigemptyset(&s); sigaddset(&s, SIGUSR2); sigwait(&s, &sig); break; }
	case 9: nanosleep(&(struct timespec){ 3600, 0 }, NULL); break;
	}
	if (which >= 2) {
		pthread_mutex_lock(&m); /* not reached: cancelled in the call */
		held = 1;
	}
	pthread_cleanup_pop(1);
	return NULL;
}

static void *block_forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

int main(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	sem_init(&sem, 0, 0);
	if (pipe(pipefd))
		return 1;
	pthread_create(&forever, NULL, block_forever, NULL);
	for (int round = 0; round < 3; round++) {
		pthread_t t[10];
		started = 0;
		for (long i = 0; i < 10; i++)
			pthread_create(&t[i], NULL, run, (void *)i);
		while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < 10)
			usleep(1000);
		usleep(20000); /* let them block; an early cancel is caught the same */
		for (int i = 0; i < 10; i++)
			pthread_cancel(t[i]);
		for (int i = 0; i < 10; i++) {
			void *ret;
			pthread_join(t[i], &ret);
			printf("round %d call %d: %s\n", round, i, ret == PTHREAD_CANCELED ? "cancelled" : "returned");
		}
	}
	pthread_mutex_lock(&m); /* balanced: m is free */
	pthread_mutex_unlock(&m);
	pthread_cancel(forever);
	pthread_join(forever, NULL);
	puts("done");
	return 0;
}
