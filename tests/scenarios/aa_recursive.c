/* AA: re-taking a non-recursive mutex the thread holds is reported before
 * the thread blocks; a timed lock is ordered like a blocking one, so the
 * scenario can end: the relock times out instead of hanging. */
// expect: recursive lock_A
// options: deadlock_detect=0
#include "scenario.h"

#include <errno.h>
#include <time.h>

pthread_mutex_t lock_A = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&lock_A);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 50 * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	CHECK(pthread_mutex_timedlock(&lock_A, &ts) == ETIMEDOUT);
	U(&lock_A);
	return 0;
}
