/* A timeout handler that siglongjmps out (a common pattern). Afterwards the
 * thread is in normal context again: taking a lock there with SIGALRM
 * deliverable is fine (the handler takes no lock), and the lock taken in
 * normal context is not "used in a handler". Silent. */
// expect: none
#include "scenario.h"

#include <setjmp.h>
#include <signal.h>

static sigjmp_buf jb;
pthread_mutex_t jmp_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile int jumps;

static void on_alarm(int s)
{
	(void)s;
	siglongjmp(jb, 1);
}

static void *worker(void *a)
{
	L(&jmp_lock);
	U(&jmp_lock);
	return a;
}

int main(void)
{
	on_thread(worker, NULL); /* jmp_lock taken with SIGALRM deliverable */
	signal(SIGALRM, on_alarm);
	for (int i = 0; i < 300; i++) { /* more jumps than a nesting counter holds */
		if (sigsetjmp(jb, 1) == 0)
			raise(SIGALRM);
		jumps++;
	}
	CHECK(jumps == 300);
	L(&jmp_lock);
	U(&jmp_lock);
	return 0;
}
