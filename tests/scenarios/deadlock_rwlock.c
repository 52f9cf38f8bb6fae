/* A writer blocked behind a reader that waits on the writer's mutex. */
// expect: circular catalog_rw meta_lock
// expect: deadlock catalog_rw meta_lock
// options: deadlock_action=abort deadlock_timeout_ms=300
// exit: signal
#include "scenario.h"

pthread_rwlock_t catalog_rw = PTHREAD_RWLOCK_INITIALIZER;
pthread_mutex_t meta_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t both_hold;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&catalog_rw);
	pthread_barrier_wait(&both_hold);
	L(&meta_lock);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	L(&meta_lock);
	pthread_barrier_wait(&both_hold);
	pthread_rwlock_wrlock(&catalog_rw);
	return NULL;
}

int main(void)
{
	pthread_t r, w;
	pthread_barrier_init(&both_hold, NULL, 2);
	pthread_create(&r, NULL, reader, NULL);
	pthread_create(&w, NULL, writer, NULL);
	pthread_join(r, NULL);
	pthread_join(w, NULL);
	return 0;
}
