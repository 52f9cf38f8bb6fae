/* Helpers for scenario programs: each scenario is a small program whose
 * header states the expected verdict (see tests/runner.c). */
#ifndef SCENARIO_H
#define SCENARIO_H
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define L(m) pthread_mutex_lock(m)
#define U(m) pthread_mutex_unlock(m)

/* Run fn(arg) on a fresh thread and wait for it: orders seen on different
 * threads that never overlap in time. */
static inline void on_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, arg) == 0)
		pthread_join(t, NULL);
}

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "scenario check failed: %s (%s:%d)\n", \
				#cond, __FILE__, __LINE__);                    \
			exit(99);                                              \
		}                                                              \
	} while (0)

/* Thread body: take first, then second; release in reverse. */
struct pair {
	pthread_mutex_t *first, *second;
};

static inline void *ordered(void *arg)
{
	struct pair *p = arg;
	CHECK(L(p->first) == 0);
	CHECK(L(p->second) == 0);
	CHECK(U(p->second) == 0);
	CHECK(U(p->first) == 0);
	return NULL;
}

/* Read-lock rw twice on this thread, then release both reads. */
static inline void read_twice(pthread_rwlock_t *rw)
{
	CHECK(pthread_rwlock_rdlock(rw) == 0);
	CHECK(pthread_rwlock_rdlock(rw) == 0);
	CHECK(pthread_rwlock_unlock(rw) == 0);
	CHECK(pthread_rwlock_unlock(rw) == 0);
}

#endif
