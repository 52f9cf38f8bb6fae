/* All held locks on demand: with dump_signal=SIGUSR2, the signal prints
 * every thread's held locks ("Showing all locks held in the system"),
 * here one thread holding two locks and another waiting on one. The
 * program's own SIGUSR2 handler still runs. No report. */
// expect: none
// options: dump_signal=SIGUSR2
// stderr: Showing all locks held in the system:
// stderr: 2 locks held by dump_signal/
// stderr: (outer_lock){
// stderr: no locks held by dump_signal/
// stderr: (waiting for 
#include <signal.h>

#include "scenario.h"

pthread_mutex_t outer_lock = PTHREAD_MUTEX_INITIALIZER, inner_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t own_handler_ran;
static volatile int holding, waiting;

static void own(int sig)
{
	(void)sig;
	own_handler_ran = 1;
}

static void *waiter(void *arg)
{
	(void)arg;
	L(&outer_lock);
	waiting = 0;
	U(&outer_lock);
	return NULL;
}

int main(void)
{
	signal(SIGUSR2, own);
	L(&outer_lock);
	L(&inner_lock);
	pthread_t t;
	waiting = 1;
	pthread_create(&t, NULL, waiter, NULL);
	usleep(100000); /* let it block on outer_lock */
	raise(SIGUSR2);
	CHECK(own_handler_ran);
	U(&inner_lock);
	U(&outer_lock);
	pthread_join(t, NULL);
	return 0;
}
