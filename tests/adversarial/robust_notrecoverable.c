// A robust mutex left not recoverable: every later lock, from any thread,
// must get ENOTRECOVERABLE as with glibc alone (a trylock probe by the
// runtime would leave the lock word owned and hang the next locker).
// (glibc's own trylock has that side effect, so the program uses none.)
// expect: held_at_exit
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_mutex_t m;

static void *die_holding(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	return NULL; /* owner dies: next locker gets EOWNERDEAD */
}

static void *lock_again(void *arg)
{
	(void)arg;
	int r = pthread_mutex_lock(&m);
	printf("thread lock: %s\n", strerror(r));
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&m, &a);
	pthread_t t;
	pthread_create(&t, NULL, die_holding, NULL);
	pthread_join(t, NULL);
	int r = pthread_mutex_lock(&m);
	printf("lock after owner died: %s\n", strerror(r));
	pthread_mutex_unlock(&m); /* not made consistent: now not recoverable */
	for (int i = 0; i < 3; i++) {
		r = pthread_mutex_lock(&m);
		printf("lock: %s\n", strerror(r));
		pthread_create(&t, NULL, lock_again, NULL);
		pthread_join(t, NULL);
	}
	return 0;
}
