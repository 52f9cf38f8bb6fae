/* The --html test program: an ABBA inversion between two threads
 * (config_lock / stats_lock, taken at different times), a longer ordered
 * chain, an rwlock taken both ways, and queue_lock with forced contention
 * (held until the other thread is seen blocked in futex). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t conn_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_int worker_tid, phase;
static volatile long work;

static void wait_blocked(int tid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", tid);
	for (;;) {
		FILE *f = fopen(path, "r");
		char *ok = f ? fgets(buf, sizeof buf, f) : NULL;
		if (f)
			fclose(f);
		if (ok && atoi(buf) == SYS_futex)
			return;
		usleep(1000);
	}
}

static void __attribute__((noinline)) update_stats(void)
{
	pthread_mutex_lock(&stats_lock);
	pthread_mutex_lock(&config_lock); /* stats -> config */
	work++;
	pthread_mutex_unlock(&config_lock);
	pthread_mutex_unlock(&stats_lock);
}

static void __attribute__((noinline)) reload_config(void)
{
	pthread_mutex_lock(&config_lock);
	pthread_mutex_lock(&stats_lock); /* config -> stats: inversion */
	work++;
	pthread_mutex_unlock(&stats_lock);
	pthread_mutex_unlock(&config_lock);
}

static void __attribute__((noinline)) dequeue(void)
{
	pthread_mutex_lock(&queue_lock);
	work++;
	pthread_mutex_unlock(&queue_lock);
}

static void *worker(void *arg)
{
	(void)arg;
	atomic_store(&worker_tid, (int)syscall(SYS_gettid));
	update_stats();
	while (atomic_load(&phase) != 1)
		;
	dequeue(); /* blocks: main holds queue_lock */
	for (int i = 0; i < 100; i++) {
		pthread_rwlock_rdlock(&table_lock);
		work++;
		pthread_rwlock_unlock(&table_lock);
	}
	return NULL;
}

int main(void)
{
	pthread_t t;
	pthread_create(&t, NULL, worker, NULL);
	while (!atomic_load(&worker_tid))
		;
	pthread_mutex_lock(&queue_lock);
	atomic_store(&phase, 1);
	wait_blocked(atomic_load(&worker_tid));
	pthread_mutex_unlock(&queue_lock);
	pthread_join(t, NULL);
	reload_config();
	for (int i = 0; i < 10; i++) {
		pthread_mutex_lock(&queue_lock);
		pthread_mutex_lock(&conn_lock);
		pthread_rwlock_wrlock(&table_lock);
		work++;
		pthread_rwlock_unlock(&table_lock);
		pthread_mutex_unlock(&conn_lock);
		pthread_mutex_unlock(&queue_lock);
	}
	printf("work %ld\n", work);
	return 0;
}
