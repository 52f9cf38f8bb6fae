/* Classes are named by their role frame among inlined frames, not by the
 * inlined wrapper. Mutex::Mutex() is inlined (always_inline, as at -O2)
 * into cache_setup() and db_setup(), themselves inlined into main: named by
 * the innermost inlined frame, both classes would print
 * "Mutex::Mutex() (...)". Named by the first frame outside the wrapper
 * they read "cache_setup (file:line)" and "db_setup (...)". The inversion
 * between them is real. */
// expect: circular cache_setup db_setup
// stderr: (cache_setup (
// stderr: (db_setup (
#include <new>
#include <pthread.h>

struct Mutex {
	pthread_mutex_t m;
	__attribute__((always_inline)) inline Mutex() { pthread_mutex_init(&m, nullptr); }
	void lock() { pthread_mutex_lock(&m); }
	void unlock() { pthread_mutex_unlock(&m); }
};

struct Cache { int n; Mutex mu; };
struct Db { Mutex mu; long y; };

static __attribute__((always_inline)) inline void cache_setup(Cache *c)
{
	new (&c->mu) Mutex();
	c->n = 0;
}

static __attribute__((always_inline)) inline void db_setup(Db *d)
{
	new (&d->mu) Mutex();
	d->y = 0;
}

int main()
{
	Cache *c = static_cast<Cache *>(operator new(sizeof(Cache)));
	Db *d = static_cast<Db *>(operator new(sizeof(Db)));
	cache_setup(c);
	db_setup(d);
	c->mu.lock();
	d->mu.lock();
	d->mu.unlock();
	c->mu.unlock();
	d->mu.lock();
	c->mu.lock();
	c->mu.unlock();
	d->mu.unlock();
	return 0;
}
