// --dump-signal with 1000 threads each holding a lock: every thread is
// listed, nothing cut at a buffer size. The program's own handler still runs.
// opts: dump_signal=SIGUSR1
// expect: none
// stderr-count: 1000 1 lock held by dump_1000/
// stderr: Showing all locks held in the system:
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#define N 1000
static pthread_mutex_t locks[N];
static pthread_barrier_t held, done;
static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got++;
}

static void *hold(void *arg)
{
	pthread_mutex_t *m = arg;
	pthread_mutex_lock(m);
	pthread_barrier_wait(&held);
	pthread_barrier_wait(&done);
	pthread_mutex_unlock(m);
	return NULL;
}

int main(void)
{
	signal(SIGUSR1, on_usr1);
	pthread_barrier_init(&held, NULL, N + 1);
	pthread_barrier_init(&done, NULL, N + 1);
	pthread_attr_t a;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, 64 * 1024);
	static pthread_t t[N];
	for (int i = 0; i < N; i++) {
		pthread_mutex_init(&locks[i], NULL);
		if (pthread_create(&t[i], &a, hold, &locks[i])) {
			puts("pthread_create failed");
			return 1;
		}
	}
	pthread_barrier_wait(&held);
	raise(SIGUSR1);
	pthread_barrier_wait(&done);
	for (int i = 0; i < N; i++)
		pthread_join(t[i], NULL);
	printf("handler ran %d time(s)\n", (int)got);
	return 0;
}
