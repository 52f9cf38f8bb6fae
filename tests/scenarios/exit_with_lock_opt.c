/* The same with --held-at-process-exit: the thread calling exit() is
 * checked too. */
// expect: held_at_exit big_lock
// options: held_at_process_exit=1
// stderr: (the thread called exit())
#include "scenario.h"

pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&big_lock);
	exit(0);
}
