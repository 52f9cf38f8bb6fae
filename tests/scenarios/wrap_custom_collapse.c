/* An init wrapper whose name matches none of the built-in patterns:
 * prepare_field(), too big to be a mere forwarder. Every lock of the
 * program is made inside it, so the only init site is its
 * pthread_mutex_init() call. Keyed by that site alone, the cache lock and
 * the connection lock would be ONE class, and
 *     lock_X -> cache lock     and     conn lock -> lock_X
 * would read as a FALSE cycle (liblockdep's failure mode). The site serves
 * two calling functions (cache_new, conn_new), so it is generic: each
 * (site, caller) pair is a class of its own. No report, without options;
 * wrap_custom_option.c names the wrapper with init_wrappers and gets the
 * same verdict. */
// expect: none
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
