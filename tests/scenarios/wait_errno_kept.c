/* The wait interceptors keep errno: a value set before each call is still
 * there after it succeeds (first calls, which create classes, edges and
 * stacks included), and sem_wait still fails with EINTR/EAGAIN as libc
 * says. */
// expect: none
// options: wait_check=1
#include <errno.h>
#include <semaphore.h>

#include "scenario.h"

pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, other = PTHREAD_MUTEX_INITIALIZER;
pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
pthread_once_t once = PTHREAD_ONCE_INIT;
pthread_barrier_t bar;
sem_t s;

static void init(void)
{
	L(&other);
	U(&other);
}

static void *worker(void *arg)
{
	(void)arg;
	L(&other);
	U(&other);
	return NULL;
}

#define KEPT(call)                                   \
	do {                                         \
		errno = 4242;                        \
		CHECK((call) == 0);                  \
		CHECK(errno == 4242);                \
	} while (0)

int main(void)
{
	pthread_t t;
	KEPT(sem_init(&s, 0, 0));
	KEPT(pthread_barrier_init(&bar, NULL, 1));
	KEPT(pthread_once(&once, init));
	KEPT(pthread_mutex_lock(&m));
	KEPT(pthread_cond_signal(&cv));
	KEPT(pthread_cond_broadcast(&cv));
	KEPT(pthread_mutex_unlock(&m));
	KEPT(sem_post(&s));
	KEPT(sem_wait(&s));
	errno = 0;
	CHECK(sem_trywait(&s) == -1 && errno == EAGAIN);
	errno = 4242;
	CHECK(pthread_barrier_wait(&bar) == PTHREAD_BARRIER_SERIAL_THREAD && errno == 4242);
	KEPT(pthread_create(&t, NULL, worker, NULL));
	KEPT(pthread_join(t, NULL));
	KEPT(sem_destroy(&s));
	KEPT(pthread_barrier_destroy(&bar));
	return 0;
}
