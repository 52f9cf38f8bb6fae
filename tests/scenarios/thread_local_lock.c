/* A thread_local lock lives in the thread's static TLS, which glibc puts
 * at the top of the thread's stack mapping, but it is not a stack lock:
 * its identity lasts, whichever function takes it. tls_lock is taken
 * before cfg_lock in one function and after it in another: a real
 * inversion, reported. Treated as a stack lock, each function's frame gave
 * it a new identity and class, and the inversion was missed. */
// expect: circular cfg_lock
#include "scenario.h"

static _Thread_local pthread_mutex_t tls_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t cfg_lock = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) static void flush_stats(void)
{
	L(&tls_lock);
	L(&cfg_lock);
	U(&cfg_lock);
	U(&tls_lock);
}

__attribute__((noinline)) static void reload_config(void)
{
	L(&cfg_lock);
	L(&tls_lock);
	U(&tls_lock);
	U(&cfg_lock);
}

static void *worker(void *arg)
{
	(void)arg;
	flush_stats();
	reload_config();
	return NULL;
}

int main(void)
{
	on_thread(worker, NULL);
	return 0;
}
