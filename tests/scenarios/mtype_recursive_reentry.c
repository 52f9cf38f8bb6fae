/* A PTHREAD_MUTEX_RECURSIVE mutex re-entered by its owner is not a
 * deadlock: re-entry never blocks. rec_lock is taken three deep, lock_B is
 * taken under it (rec_lock -> lock_B, the one order of the program), and
 * rec_lock is re-entered once more while lock_B is held: a re-entry adds
 * no dependency (it cannot wait), so there is no lock_B -> rec_lock edge
 * and no cycle. Every unlock balances (no bad_unlock), and afterwards the
 * lock is really free. Silent. */
// expect: none
#include <errno.h>

#include "scenario.h"

pthread_mutex_t rec_lock;
pthread_mutex_t lock_B = PTHREAD_MUTEX_INITIALIZER;

static void *nest(void *arg)
{
	(void)arg;
	CHECK(L(&rec_lock) == 0);
	CHECK(L(&rec_lock) == 0);
	CHECK(L(&rec_lock) == 0);
	CHECK(L(&lock_B) == 0);
	CHECK(L(&rec_lock) == 0); /* re-entry with lock_B held */
	CHECK(pthread_mutex_trylock(&rec_lock) == 0); /* and a try re-entry */
	CHECK(U(&rec_lock) == 0);
	CHECK(U(&rec_lock) == 0);
	CHECK(U(&lock_B) == 0);
	CHECK(U(&rec_lock) == 0);
	CHECK(U(&rec_lock) == 0);
	CHECK(U(&rec_lock) == 0);
	return NULL;
}

static void *plain(void *arg)
{
	(void)arg;
	CHECK(pthread_mutex_trylock(&rec_lock) == 0); /* released for real */
	CHECK(U(&rec_lock) == 0);
	CHECK(L(&rec_lock) == 0);
	CHECK(L(&lock_B) == 0);
	CHECK(U(&lock_B) == 0);
	CHECK(U(&rec_lock) == 0);
	return NULL;
}

int main(void)
{
	pthread_mutexattr_t a;
	CHECK(pthread_mutexattr_init(&a) == 0);
	CHECK(pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0);
	CHECK(pthread_mutex_init(&rec_lock, &a) == 0);
	pthread_mutexattr_destroy(&a);
	on_thread(nest, NULL);
	on_thread(nest, NULL); /* the cached chains again */
	on_thread(plain, NULL);
	return 0;
}
