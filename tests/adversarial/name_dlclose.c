// Locks named by a library that is then unloaded, one with a buffer on
// its stack: the names are copied, so the exit graph export and a later
// report show them.
// lib: lib_named.c
// cflags: -ldl
// opts: graph=name_dlclose_graph
// expect: held_at_exit
// stderr: (class named by a library)
// stderr: (lock named on a stack)
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER, m2 = PTHREAD_MUTEX_INITIALIZER;

static void *hold(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&m);
	pthread_mutex_lock(&m2);
	return NULL;
}

int main(void)
{
	void *h = dlopen("./lib_named.so", RTLD_NOW);
	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return 1;
	}
	void (*name_it)(void *, void *) = (void (*)(void *, void *))dlsym(h, "name_it");
	name_it(&m, &m2);
	dlclose(h);
	pthread_t t;
	pthread_create(&t, NULL, hold, NULL); /* a report names the class */
	pthread_join(t, NULL);
	puts("done");
	return 0;
}
