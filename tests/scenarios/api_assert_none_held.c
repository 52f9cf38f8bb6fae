/* ulockdep_assert_none_held(): a request loop asserts it holds no lock
 * between requests. A handler that leaks req_lock makes the next check
 * fail; locks held by other threads do not count. */
// expect: assert
// stderr: failed ulockdep_assert_none_held() at:
// stderr: serve+
// stderr: 1 lock held by
// stderr: (req_lock)
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t req_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
static int served;

static void handle(int leak)
{
	CHECK(L(&req_lock) == 0);
	served++;
	if (!leak)
		CHECK(U(&req_lock) == 0);
}

static void serve(int leak)
{
	handle(leak);
	ulockdep_assert_none_held(); /* fails only after the leaking request */
}

static void *clean(void *arg)
{
	(void)arg;
	serve(0); /* passes although main holds other_lock */
	return NULL;
}

int main(void)
{
	serve(0); /* passes */
	CHECK(L(&other_lock) == 0);
	on_thread(clean, NULL);
	CHECK(U(&other_lock) == 0);
	serve(1); /* fails */
	CHECK(U(&req_lock) == 0);
	ulockdep_assert_none_held(); /* passes again */
	CHECK(served == 3);
	return 0;
}
