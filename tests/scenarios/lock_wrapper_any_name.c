/* A lock WRAPPER of any name (xlock: take the lock, abort on error; too
 * big to be a forwarder). Heap locks never initialised are first taken
 * inside it, so their first-use site is always xlock+0x..: keyed by that
 * site alone, the connection lock and the stats lock would be one class,
 * and conn_io (conn -> g) with stats_bump (g -> stats) a FALSE cycle. The
 * site serves two calling functions: it is generic, each caller gets its
 * own class. lock_wrapper_true_cycle.c checks a real inversion through
 * the same wrapper is still found. */
// expect: none
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
	xlock(&g);
	xunlock(&g);
	xunlock(&c->mu);
}

static __attribute__((noinline)) void stats_bump(struct stats *s)
{
	xlock(&g);
	xlock(&s->mu);
	s->n++;
	xunlock(&s->mu);
	xunlock(&g);
}

int main(void)
{
	struct conn *c = calloc(1, sizeof *c); /* all zero: PTHREAD_MUTEX_INITIALIZER */
	struct stats *s = calloc(1, sizeof *s);
	CHECK(c && s);
	conn_io(c);
	stats_bump(s);
	return 0;
}
