/* A wrapper whose name says nothing about locks, but that only forwards to
 * pthread_mutex_init: its ELF symbol is tiny, so it is a wrapper and its
 * callers (cache_new, conn_new) are the classes. lock_X -> cache and
 * conn -> lock_X are then no cycle. (A bigger unnamed wrapper is not
 * detected: wrap_custom_collapse.c.) */
// expect: none
#include "scenario.h"

static __attribute__((noinline)) int prep(pthread_mutex_t *m)
{
	return pthread_mutex_init(m, NULL);
}
#define WRAP_INIT(m) prep(m)
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
