/* A thread re-taking a normal mutex it holds: reported as recursive before
 * it blocks, then as a one-thread deadlock. */
// expect: recursive self_lock
// expect: deadlock self_lock
// options: deadlock_action=exit:3 deadlock_timeout_ms=300
// exit: 3
#include "scenario.h"

pthread_mutex_t self_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&self_lock);
	L(&self_lock);
	return 0;
}
