/* Recursion is allowed for the OWNER of one recursive mutex, not for a
 * second instance of its class. recmtx[0] and recmtx[1] are recursive
 * mutexes made at one init site (one class). Thread 1 takes recmtx[0]
 * twice (re-entry, fine) and then recmtx[1]; thread 2 takes recmtx[1] then
 * recmtx[0]. A recursive mutex still blocks a thread that does not own it:
 * this is an ABBA between two instances of one class -> one circular
 * report naming the class twice and listing both instances. */
// expect: circular recmtx
// stderr: Instances of one class in the cycle:
// stderr: (recmtx+0x
#include "scenario.h"

pthread_mutex_t recmtx[2];

static void *zero_then_one(void *arg)
{
	(void)arg;
	CHECK(L(&recmtx[0]) == 0);
	CHECK(L(&recmtx[0]) == 0);
	CHECK(L(&recmtx[1]) == 0);
	CHECK(U(&recmtx[1]) == 0);
	CHECK(U(&recmtx[0]) == 0);
	CHECK(U(&recmtx[0]) == 0);
	return NULL;
}

static void *one_then_zero(void *arg)
{
	(void)arg;
	CHECK(L(&recmtx[1]) == 0);
	CHECK(L(&recmtx[0]) == 0);
	CHECK(U(&recmtx[0]) == 0);
	CHECK(U(&recmtx[1]) == 0);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
	for (int i = 0; i < 2; i++)
		CHECK(pthread_mutex_init(&recmtx[i], &a) == 0);
	pthread_mutexattr_destroy(&a);
	on_thread(zero_then_one, NULL);
	on_thread(one_then_zero, NULL);
	return 0;
}
