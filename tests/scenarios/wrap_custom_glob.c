/* The init_wrappers option takes a comma-separated list of globs. Here
 * the list is "no_such_fn,prepare_fi?ld": the first entry matches nothing,
 * the second matches prepare_field() only through the glob. Same program as
 * wrap_custom_collapse.c: with the wrapper recognised, the cache and
 * connection locks are two classes and there is no cycle. */
// expect: none
// options: init_wrappers=no_such_fn,prepare_fi?ld
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
