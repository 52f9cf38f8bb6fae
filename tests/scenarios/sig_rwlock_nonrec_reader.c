/* Readers in a signal handler. A default glibc rwlock admits a reader
 * while others read, even with a writer waiting (recursive readers): a
 * read of cache_rw in a SIGUSR1 handler next to reads with SIGUSR1
 * deliverable is safe, silent. A PREFER_WRITER_NONRECURSIVE rwlock queues
 * a new reader behind a waiting writer: thread 1 read-holds table_rw,
 * thread 2 waits to write, SIGUSR1 interrupts thread 1 and its handler's
 * read waits behind thread 2 for good. Taking table_rw for read in the
 * handler and for read with SIGUSR1 deliverable is inconsistent. Writes in
 * the handler are inconsistent with deliverable reads for both kinds; here
 * only reads are used. */
// expect: inconsistent table_rw
#include "scenario.h"

#include <signal.h>

static pthread_rwlock_t cache_rw, table_rw;
static volatile sig_atomic_t ran;

static void on_usr1(int sig)
{
	(void)sig;
	CHECK(pthread_rwlock_rdlock(&cache_rw) == 0);
	CHECK(pthread_rwlock_unlock(&cache_rw) == 0);
	CHECK(pthread_rwlock_rdlock(&table_rw) == 0);
	CHECK(pthread_rwlock_unlock(&table_rw) == 0);
	ran++;
}

static void *reader(void *arg)
{
	(void)arg;
	CHECK(pthread_rwlock_rdlock(&cache_rw) == 0);
	CHECK(pthread_rwlock_unlock(&cache_rw) == 0);
	CHECK(pthread_rwlock_rdlock(&table_rw) == 0);
	CHECK(pthread_rwlock_unlock(&table_rw) == 0);
	return NULL;
}

int main(void)
{
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	CHECK(pthread_rwlock_init(&cache_rw, &a) == 0);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	CHECK(pthread_rwlock_init(&table_rw, &a) == 0);
	CHECK(signal(SIGUSR1, on_usr1) != SIG_ERR);
	on_thread(reader, NULL);
	CHECK(raise(SIGUSR1) == 0 && ran == 1);
	return 0;
}
