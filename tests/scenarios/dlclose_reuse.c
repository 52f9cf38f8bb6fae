/* dlclose() ends what a module lent. Module A's static lock is taken
 * before global_lock; A is unloaded and module B, loaded at the same
 * address, takes its own static lock (at A's old address) after
 * global_lock: a new class, no cycle. A also named a heap lock's class
 * ("lent_by_module_a", a string in A): after A is gone, a real inversion
 * on that lock is reported under the name, copied before the unload. */
// expect: circular lent_by_module_a io_lock
// stderr: (lent_by_module_a){
#include "scenario.h"
#include <dlfcn.h>
#include <limits.h>

pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t io_lock = PTHREAD_MUTEX_INITIALIZER;

static void *load(const char *name)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 64);
	CHECK(n > 0);
	path[n] = 0;
	snprintf(strrchr(path, '/') + 1, 64, "%s", name);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	CHECK(h != NULL);
	return h;
}

int main(void)
{
	pthread_mutex_t *named = malloc(sizeof *named);
	pthread_mutex_init(named, NULL);

	void *a = load("libreuse_a.so");
	void *(*a_lock)(void) = (void *(*)(void))dlsym(a, "lib_lock");
	void (*a_run)(pthread_mutex_t *) = (void (*)(pthread_mutex_t *))dlsym(a, "lib_run");
	void (*a_name)(pthread_mutex_t *) = (void (*)(pthread_mutex_t *))dlsym(a, "lib_name");
	a_run(&global_lock);
	a_name(named);
	void *old = a_lock();
	CHECK(dlclose(a) == 0);

	void *b = load("libreuse_b.so");
	void *(*b_lock)(void) = (void *(*)(void))dlsym(b, "lib_lock");
	void (*b_run)(pthread_mutex_t *) = (void (*)(pthread_mutex_t *))dlsym(b, "lib_run");
	CHECK(b_lock() == old); /* the test means something only on reuse */
	b_run(&global_lock);

	L(named);
	L(&io_lock);
	U(&io_lock);
	U(named);
	L(&io_lock);
	L(named);
	U(named);
	U(&io_lock);
	dlclose(b);
	return 0;
}
