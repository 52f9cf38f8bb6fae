// Thread exit: a lock released by a thread_local destructor (the C++ ABI's
// __cxa_thread_atexit_impl) is not "held at exit", and lock orders taken in
// the program's pthread_key destructors are still validated: two threads'
// destructors take a and b in opposite orders, one real inversion.
// expect: circular
// stderr: (b){..}
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>

int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso);
extern void *__dso_handle;

static pthread_mutex_t tls_held = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t key;

static void tls_dtor(void *obj)
{
	pthread_mutex_unlock(obj); /* as a scoped lock in a thread_local */
}

static void key_dtor(void *v)
{
	pthread_mutex_t *first = v, *second = first == &a ? &b : &a;
	pthread_mutex_lock(first);
	pthread_mutex_lock(second);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static void *run(void *arg)
{
	pthread_mutex_lock(&tls_held);
	__cxa_thread_atexit_impl(tls_dtor, &tls_held, __dso_handle);
	pthread_setspecific(key, arg);
	return NULL;
}

int main(void)
{
	pthread_key_create(&key, key_dtor);
	pthread_t t;
	pthread_create(&t, NULL, run, &a);
	pthread_join(t, NULL);
	pthread_create(&t, NULL, run, &b);
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
