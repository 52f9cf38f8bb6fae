/* A C++ std::mutex local is never initialised (its constructor calls
 * nothing). Two functions with the same frame put their local mutex at
 * the same address: one orders local -> global_lock, the other
 * global_lock -> local. The second use comes from another function while
 * the mutex is unheld: a new identity, no cycle. Built at -O0, so every
 * lock goes through libstdc++'s out-of-line std::mutex::lock and
 * __gthread_mutex_lock: the role is the first frame outside them. */
// expect: none
#include <cstdio>
#include <cstdlib>
#include <mutex>

static std::mutex global_lock;
static void *seen;

#define CHECK(c) do { if (!(c)) { std::fprintf(stderr, "check failed: %s\n", #c); std::exit(99); } } while (0)

static __attribute__((noinline)) void before_global()
{
	std::mutex local;
	seen = &local;
	std::lock_guard<std::mutex> a(local);
	std::lock_guard<std::mutex> b(global_lock);
}

static __attribute__((noinline)) void after_global()
{
	std::mutex local;
	CHECK((void *)&local == seen); /* the test means something only on reuse */
	std::lock_guard<std::mutex> a(global_lock);
	std::lock_guard<std::mutex> b(local);
}

int main()
{
	before_global();
	after_global();
	return 0;
}
