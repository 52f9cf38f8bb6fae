/* wrap_custom_collapse.c run with the option  init_wrappers=prepare_field :
 * the wrapper named in the option is skipped like a built-in one, so the
 * cache lock gets the class of its caller (cache_new) and the connection
 * lock that of conn_new. lock_X -> cache and conn -> lock_X are then two
 * unrelated orders: no report. */
// expect: none
// options: init_wrappers=prepare_field
#include "wrap.h"

int main(void)
{
	return wrap_run();
}
