/* A class made at a site in a module ends with the module. Module A's
 * lib_make() makes a lock ordered before g; A is unloaded and module B,
 * the same code loaded at the same address, makes a lock at the same site
 * address, from the same caller, ordered after g. B's lock is a new class
 * (no cycle with g), even though the thread's last answer for that exact
 * (site, caller) was A's class. The real inversion between B's lock and h
 * is found. */
// expect: circular h
#include "scenario.h"
#include <dlfcn.h>
#include <limits.h>

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, h = PTHREAD_MUTEX_INITIALIZER;

static void *load(const char *name)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 64);
	CHECK(n > 0);
	path[n] = 0;
	snprintf(strrchr(path, '/') + 1, 64, "%s", name);
	void *m = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	CHECK(m != NULL);
	return m;
}

/* one call site for both modules' makers: the same caller */
static __attribute__((noinline)) void make_via(void (*fn)(pthread_mutex_t *), pthread_mutex_t *m)
{
	fn(m);
	__asm__ volatile("" ::: "memory");
}

int main(void)
{
	pthread_mutex_t *ma = malloc(sizeof *ma), *mb = malloc(sizeof *mb);
	CHECK(ma && mb);
	void *a = load("libremake_a.so");
	void (*make_a)(pthread_mutex_t *) = (void (*)(pthread_mutex_t *))dlsym(a, "lib_make");
	CHECK(make_a);
	make_via(make_a, ma);
	L(ma);
	L(&g);
	U(&g);
	U(ma);
	CHECK(dlclose(a) == 0);

	void *b = load("libremake_b.so");
	void (*make_b)(pthread_mutex_t *) = (void (*)(pthread_mutex_t *))dlsym(b, "lib_make");
	CHECK(make_b == make_a); /* the test means something only on reuse */
	make_via(make_b, mb);
	L(&g);
	L(mb);
	U(mb);
	U(&g);

	L(mb);
	L(&h);
	U(&h);
	U(mb);
	L(&h);
	L(mb);
	U(mb);
	U(&h);
	return 0;
}
