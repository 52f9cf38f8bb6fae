/* A correct program: consistent lock order over many threads, condition
 * variables, trylock back-off, recursive mutexes, 5000 heap lock objects,
 * errno and return values checked around every call. No report. */
// expect: none
#include <errno.h>

#include "scenario.h"

#define NOBJ 5000
#define NTHR 8

struct obj {
	pthread_mutex_t lock;
	long value;
};

static struct obj *objs[NOBJ];
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_cond = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t stats_lock;
static int queue_len, done;

static void *worker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 2000; i++) {
		struct obj *o = objs[(id * 7919 + i * 31) % NOBJ];
		errno = 4242;
		CHECK(L(&table_lock) == 0);
		CHECK(errno == 4242);
		CHECK(L(&o->lock) == 0);
		o->value++;
		U(&o->lock);
		U(&table_lock);
		/* trylock back-off in the reverse order is fine */
		L(&o->lock);
		if (pthread_mutex_trylock(&table_lock) == 0)
			U(&table_lock);
		U(&o->lock);
		L(&stats_lock);
		L(&stats_lock); /* recursive */
		U(&stats_lock);
		U(&stats_lock);
	}
	L(&queue_lock);
	queue_len++;
	pthread_cond_signal(&queue_cond);
	U(&queue_lock);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&stats_lock, &a);
	for (int i = 0; i < NOBJ; i++) {
		objs[i] = calloc(1, sizeof *objs[i]);
		CHECK(pthread_mutex_init(&objs[i]->lock, NULL) == 0);
	}
	pthread_t t[NTHR];
	for (long i = 0; i < NTHR; i++)
		CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
	L(&queue_lock);
	while (queue_len < NTHR)
		pthread_cond_wait(&queue_cond, &queue_lock);
	done = 1;
	U(&queue_lock);
	for (int i = 0; i < NTHR; i++)
		pthread_join(t[i], NULL);
	long sum = 0;
	for (int i = 0; i < NOBJ; i++) {
		sum += objs[i]->value;
		pthread_mutex_destroy(&objs[i]->lock);
		free(objs[i]);
	}
	CHECK(sum == (long)NTHR * 2000);
	return 0;
}
