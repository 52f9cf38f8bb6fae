/* An init wrapper whose name matches none of the built-in patterns:
 * prepare_field(). Every lock of the program is made inside it, so without
 * being told, the only init site is the pthread_mutex_init() call in
 * prepare_field: the cache lock and the connection lock collapse into ONE
 * class "prepare_field+0x.. (file:line)". Then
 *     lock_X -> cache lock     and     conn lock -> lock_X
 * read as lock_X -> C -> lock_X: a FALSE cycle. This is the liblockdep
 * failure mode (it never solved wrappers), documented here as the
 * expected verdict without the option; wrap_custom_option.c runs the same
 * program with init_wrappers=prepare_field and must be silent. */
// expect: circular lock_X prepare_field
// stderr: (prepare_field+0x
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
