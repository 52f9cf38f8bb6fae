/* The init_wrappers option takes a comma-separated list of globs. Here
 * the list is "no_such_fn,make_lo?k": the first entry matches nothing,
 * the second matches make_lock() only through the glob. Same program as
 * wrap_custom_collapse.c: with the wrapper recognised, the cache and
 * connection locks are two classes and there is no cycle. */
// expect: none
// options: init_wrappers=no_such_fn,make_lo?k
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
