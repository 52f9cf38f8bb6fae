/* A hot lock with forced contention: the main thread holds hot_lock until
 * the waiter is seen blocked in the kernel (/proc/.../syscall shows futex),
 * so every round is a contention whatever the timing. Plus a loop of
 * uncontended acquisitions on each thread.
 * Acquisitions of hot_lock: 2 * ITERS + 2 * ROUNDS. Contentions >= ROUNDS. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define ITERS 5000
#define ROUNDS 3

pthread_mutex_t hot_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cold_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int waiter_tid, go_round;
static volatile long counter;

static void blocked_in_futex(int tid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
	for (;;) {
		FILE *f = fopen(path, "r");
		if (f) {
			char *ok = fgets(buf, sizeof buf, f);
			fclose(f);
			if (ok && atoi(buf) == SYS_futex)
				return;
		}
		usleep(1000);
	}
}

static void __attribute__((noinline)) waiter_takes_hot(void)
{
	pthread_mutex_lock(&hot_lock);
	counter++;
	pthread_mutex_unlock(&hot_lock);
}

static void *waiter(void *arg)
{
	(void)arg;
	atomic_store(&waiter_tid, (int)syscall(SYS_gettid));
	for (int r = 1; r <= ROUNDS; r++) {
		while (atomic_load(&go_round) != r)
			;
		waiter_takes_hot();
	}
	for (int i = 0; i < ITERS; i++)
		waiter_takes_hot();
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, waiter, NULL);
	while (!atomic_load(&waiter_tid))
		;
	for (int r = 1; r <= ROUNDS; r++) {
		pthread_mutex_lock(&hot_lock);
		atomic_store(&go_round, r);
		blocked_in_futex(atomic_load(&waiter_tid));
		pthread_mutex_unlock(&hot_lock);
		/* wait for the waiter's round before the next one */
		while (counter < r)
			usleep(100);
	}
	for (int i = 0; i < ITERS; i++) {
		pthread_mutex_lock(&hot_lock);
		counter++;
		pthread_mutex_unlock(&hot_lock);
	}
	pthread_join(t, NULL);
	pthread_mutex_lock(&cold_lock);
	pthread_mutex_unlock(&cold_lock);
	printf("hot_lock acquisitions: %d\n", 2 * ITERS + 2 * ROUNDS);
	return 0;
}
