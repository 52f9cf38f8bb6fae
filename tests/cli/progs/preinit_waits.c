/* Wait and event calls before the runtime's constructor: a function in the
 * program's .preinit_array runs before every library initialiser, ours
 * included (and before libc sets up the environment, so the runtime's
 * options cannot be read there: this is a CLI test on stderr, not a
 * scenario). The first call is a destroy, whose interceptor looks only at
 * an option before the real call: it must find the real function by itself
 * (it called a null pointer before). main's sem_wait under the poster's
 * lock is then reported as usual. */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>

#define L(m) pthread_mutex_lock(m)
#define U(m) pthread_mutex_unlock(m)
#define CHECK(c) do { if (!(c)) exit(99); } while (0)

static sem_t early_sem;
static pthread_cond_t early_cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t early_barrier;
static pthread_cond_t spare_cv = PTHREAD_COND_INITIALIZER;
static int early_done;

static void early(void)
{
	pthread_cond_destroy(&spare_cv); /* the first interposed call */
	sem_init(&early_sem, 0, 0);
	sem_post(&early_sem);
	early_done += sem_trywait(&early_sem) == 0;
	sem_destroy(&early_sem);
	pthread_cond_signal(&early_cv);
	pthread_cond_broadcast(&early_cv);
	pthread_cond_destroy(&early_cv);
	pthread_barrier_init(&early_barrier, NULL, 1);
	pthread_barrier_wait(&early_barrier);
	pthread_barrier_destroy(&early_barrier);
	early_done++;
}

__attribute__((section(".preinit_array"), used)) static void (*const early_hook)(void) = early;

pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
sem_t items;

static void *poster(void *arg)
{
	(void)arg;
	L(&queue_lock);
	U(&queue_lock);
	sem_post(&items);
	return NULL;
}

int main(void)
{
	CHECK(early_done == 2);
	pthread_t t;
	sem_init(&items, 0, 1);
	pthread_create(&t, NULL, poster, NULL);
	pthread_join(t, NULL);
	L(&queue_lock);
	sem_wait(&items);
	U(&queue_lock);
	return 0;
}
