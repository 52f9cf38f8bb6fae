// dlopen/dlclose, 100 times, of a library with static and run-time
// initialised locks, used from two threads between loads: no crash, no
// hang, no report (a reloaded library's locks are not confused with old ones).
// lib: lib_static_locks.c
// cflags: -ldl
// expect: none
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t outer = PTHREAD_MUTEX_INITIALIZER;
static int (*work)(pthread_mutex_t *);

static void *use(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++)
		work(&outer);
	return NULL;
}

int main(void)
{
	int total = 0;
	for (int n = 0; n < 100; n++) {
		void *h = dlopen("./lib_static_locks.so", RTLD_NOW | RTLD_LOCAL);
		if (!h) {
			printf("dlopen: %s\n", dlerror());
			return 1;
		}
		work = (int (*)(pthread_mutex_t *))dlsym(h, "lib_work");
		pthread_t t[2];
		for (int i = 0; i < 2; i++)
			pthread_create(&t[i], NULL, use, NULL);
		for (int i = 0; i < 2; i++)
			pthread_join(t[i], NULL);
		total += work(&outer);
		dlclose(h);
	}
	printf("calls: %d\n", total);
	return 0;
}
