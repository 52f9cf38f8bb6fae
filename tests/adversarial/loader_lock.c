// One thread is inside dlopen (holding the loader's lock), running a
// constructor that waits for a lock the main thread holds. The main thread
// meanwhile takes a lock in mmap'd memory and inits one at a new site: the
// runtime must not take the loader's lock there (dladdr), or both hang.
// lib: lib_ctor_wait.c
// cflags: -rdynamic -ldl
// expect: none
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static pthread_mutex_t big = PTHREAD_MUTEX_INITIALIZER;
static atomic_int in_ctor;

void ctor_hook(void);
void ctor_hook(void)
{
	atomic_store(&in_ctor, 1);
	pthread_mutex_lock(&big);
	pthread_mutex_unlock(&big);
}

static void *loader(void *arg)
{
	(void)arg;
	void *h = dlopen("./lib_ctor_wait.so", RTLD_NOW);
	puts(h ? "loaded" : dlerror());
	return NULL;
}

static void new_site(pthread_mutex_t *m)
{
	pthread_mutex_init(m, NULL);
}

int main(void)
{
	pthread_mutex_lock(&big);
	pthread_t t;
	pthread_create(&t, NULL, loader, NULL);
	while (!atomic_load(&in_ctor))
		usleep(1000);
	usleep(50000); /* the constructor now waits for big (if not, no harm) */
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pthread_mutex_lock(&m[0]); /* first use, outside the heap */
	pthread_mutex_unlock(&m[0]);
	new_site(&m[1]);
	pthread_mutex_lock(&m[1]);
	pthread_mutex_unlock(&m[1]);
	pthread_mutex_unlock(&big);
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
