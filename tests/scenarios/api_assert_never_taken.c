/* An assertion on a lock the program never took: ulockdep_assert_held()
 * fails, and the report still names the lock. A static lock has a name
 * (its symbol) before its first use, as the kernel's lock names come from
 * the lock's definition, not its first acquisition. */
// expect: assert spare_lock
// stderr: failed ulockdep_assert_held() at:
// stderr: spare_lock
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t spare_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	ulockdep_assert_not_held(&spare_lock); /* passes */
	ulockdep_assert_held(&spare_lock);     /* fails */
	return 0;
}
