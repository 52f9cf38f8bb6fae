/* --init-wrappers globs match demangled C++ names. Pool::prepare() makes
 * every lock of the program and nothing detects it (no lock word in its
 * name, not a constructor, not tiny), so without the option the cache and
 * connection locks would be one class and lock_X -> cache with
 * conn -> lock_X a false cycle. The glob "Pool??prepare*" ('?' for each
 * ':', which separates ULOCKDEP_OPTIONS) matches only the demangled name
 * Pool::prepare(pthread_mutex_t*): no report. */
// expect: none
// options: init_wrappers=Pool??prepare*
#include <pthread.h>
#include <thread>

struct Pool {
	int made = 0;
	void prepare(pthread_mutex_t *m)
	{
		pthread_mutexattr_t a;
		pthread_mutexattr_init(&a);
		pthread_mutexattr_settype(&a, PTHREAD_MUTEX_NORMAL);
		pthread_mutex_init(m, &a);
		pthread_mutexattr_destroy(&a);
		made++;
	}
};

static pthread_mutex_t lock_X = PTHREAD_MUTEX_INITIALIZER;
struct Cache { pthread_mutex_t lock; };
struct Conn { pthread_mutex_t lock; };

int main()
{
	Pool pool;
	Cache *cache = new Cache;
	pool.prepare(&cache->lock);
	Conn *conn = new Conn;
	pool.prepare(&conn->lock);
	std::thread([&] {
		pthread_mutex_lock(&lock_X);
		pthread_mutex_lock(&cache->lock);
		pthread_mutex_unlock(&cache->lock);
		pthread_mutex_unlock(&lock_X);
	}).join();
	std::thread([&] {
		pthread_mutex_lock(&conn->lock);
		pthread_mutex_lock(&lock_X);
		pthread_mutex_unlock(&lock_X);
		pthread_mutex_unlock(&conn->lock);
	}).join();
	return 0;
}
