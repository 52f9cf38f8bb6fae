/* A chain with a repeated class must never be cached, even when built by
 * an out-of-order unlock: a later relock of x1 is still reported. */
// expect: recursive mk_errchk
#include "scenario.h"

#include <errno.h>

pthread_mutex_t top_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *mk_errchk(void)
{
	pthread_mutexattr_t at;
	pthread_mutexattr_init(&at);
	pthread_mutexattr_settype(&at, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_t *m = malloc(sizeof *m);
	pthread_mutex_init(m, &at);
	return m;
}

int main(void)
{
	pthread_mutex_t *x1 = mk_errchk(), *x2 = mk_errchk();
	L(&top_lock);
	L(x1);
	L(x2);
	U(&top_lock);
	U(x2);
	U(x1);
	L(x1);
	CHECK(L(x1) == EDEADLK);
	U(x1);
	return 0;
}
