/* lock_wrapper_any_name.c's wrapper, and a real inversion through it: the
 * stats lock is taken before g in stats_bump and after g in stats_sum. The
 * wrapper's site serves several functions, so each caller's locks are a
 * class of their own, named with the caller ("... from stats_bump"); the
 * inversion on the stats lock is still reported. */
// expect: circular lock@xlock
// stderr: from stats_bump
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER;

static __attribute__((noinline)) void xlock(pthread_mutex_t *m)
{
	int e = pthread_mutex_lock(m);
	if (e) {
		fprintf(stderr, "lock failed %d\n", e);
		abort();
	}
}

static __attribute__((noinline)) void xunlock(pthread_mutex_t *m)
{
	int e = pthread_mutex_unlock(m);
	if (e) {
		fprintf(stderr, "unlock failed %d\n", e);
		abort();
	}
}

struct conn { int fd; pthread_mutex_t mu; };
struct stats { long n; pthread_mutex_t mu; };

static __attribute__((noinline)) void conn_io(struct conn *c)
{
	xlock(&c->mu);
	xunlock(&c->mu);
}

static __attribute__((noinline)) void stats_bump(struct stats *s)
{
	xlock(&s->mu);
	s->n++;
	xlock(&g);
	xunlock(&g);
	xunlock(&s->mu);
}

static __attribute__((noinline)) void stats_sum(struct stats *s)
{
	xlock(&g);
	xlock(&s->mu);
	xunlock(&s->mu);
	xunlock(&g);
}

int main(void)
{
	struct conn *c = calloc(1, sizeof *c);
	struct stats *s = calloc(1, sizeof *s);
	CHECK(c && s);
	conn_io(c);
	stats_bump(s);
	stats_sum(s);
	return 0;
}
