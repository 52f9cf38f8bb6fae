/* The kernel selftest core matrix: a pattern is a list of events "lock X,
 * lock Y, unlock Y, unlock X". Every permutation of the events runs in its
 * own forked child, from an empty graph, each event on its own thread, and
 * must give the same verdict. */
#ifndef PERM_H
#define PERM_H
#include <sys/wait.h>

#include "scenario.h"

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_B = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_C = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t lock_D = PTHREAD_MUTEX_INITIALIZER;

struct ev {
	pthread_mutex_t *x, *y;
};

static void *event_thread(void *arg)
{
	struct ev *e = arg;
	L(e->x);
	L(e->y);
	U(e->y);
	U(e->x);
	return NULL;
}

static int perms_run;

static void run_order(struct ev *evs, const int *order, int n)
{
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		for (int i = 0; i < n; i++)
			on_thread(event_thread, &evs[order[i]]);
		_exit(0);
	}
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	perms_run++;
}

/* Heap's algorithm over the event order. */
static void permute(struct ev *evs, int *order, int k, int n)
{
	if (k == 1) {
		run_order(evs, order, n);
		return;
	}
	for (int i = 0; i < k; i++) {
		permute(evs, order, k - 1, n);
		int j = (k % 2) ? 0 : i;
		int t = order[j];
		order[j] = order[k - 1];
		order[k - 1] = t;
	}
}

static int run_all_orders(struct ev *evs, int n)
{
	int order[8];
	for (int i = 0; i < n; i++)
		order[i] = i;
	permute(evs, order, n, n);
	return perms_run;
}

#endif
