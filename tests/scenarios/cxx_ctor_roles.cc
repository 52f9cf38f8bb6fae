/* rocksdb's pattern: every port::Mutex is initialised in its C++
 * constructor, so the init site is always port::Mutex::Mutex and the DB
 * mutex and every cache shard mutex were one class. Then
 *     db mutex -> static_mutex   and   static_mutex -> shard mutex
 * read as a cycle through static_mutex: a false report. The constructor of
 * a type that owns a lock is a wrapper: the class comes from the member's
 * site in the owner's constructor (DBImpl, LRUCacheShard), through the
 * small InstrumentedMutex constructor too. A real inversion between the
 * shard class and table_lock (other shard objects) is reported, named
 * after the shard's constructor, demangled. */
// expect: circular LRUCacheShard::LRUCacheShard table_lock
// stderr: (LRUCacheShard::LRUCacheShard()
#include <pthread.h>
#include <string>
#include <thread>
#include <vector>

namespace port {
class Mutex {
public:
	Mutex() { pthread_mutex_init(&mu_, nullptr); }
	~Mutex() { pthread_mutex_destroy(&mu_); }
	void Lock() { pthread_mutex_lock(&mu_); }
	void Unlock() { pthread_mutex_unlock(&mu_); }
private:
	pthread_mutex_t mu_;
};
} // namespace port

class InstrumentedMutex {
public:
	InstrumentedMutex() : stats_code_(7) {}
	void Lock() { mutex_.Lock(); }
	void Unlock() { mutex_.Unlock(); }
private:
	port::Mutex mutex_;
	int stats_code_;
};

static pthread_mutex_t static_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

class LRUCacheShard {
public:
	LRUCacheShard() : capacity_(1024), usage_(0), name_("shard"), high_pri_(0.5), strict_(false)
	{
		table_.reserve(16);
		for (int i = 0; i < 4; i++)
			table_.push_back(i * 2);
		name_ += std::to_string(capacity_);
	}
	port::Mutex mutex_;
private:
	size_t capacity_, usage_;
	std::string name_;
	double high_pri_;
	bool strict_;
	std::vector<int> table_;
};

class DBImpl {
public:
	DBImpl() : dbname_("db"), next_file_(2), shutting_down_(false)
	{
		versions_.reserve(8);
		for (int i = 0; i < 3; i++)
			versions_.push_back(std::to_string(i));
		dbname_ += "/LOG";
	}
	InstrumentedMutex mutex_;
private:
	std::string dbname_;
	long next_file_;
	bool shutting_down_;
	std::vector<std::string> versions_;
};

int main()
{
	DBImpl *db = new DBImpl;
	std::vector<LRUCacheShard> *shards = new std::vector<LRUCacheShard>(8);
	LRUCacheShard &s0 = (*shards)[0], &s1 = (*shards)[1], &s2 = (*shards)[2];
	std::thread([&] { /* a flush: db mutex, then the static registry */
		db->mutex_.Lock();
		pthread_mutex_lock(&static_mutex);
		pthread_mutex_unlock(&static_mutex);
		db->mutex_.Unlock();
	}).join();
	std::thread([&] { /* a cache insert under the registry */
		pthread_mutex_lock(&static_mutex);
		s0.mutex_.Lock();
		s0.mutex_.Unlock();
		pthread_mutex_unlock(&static_mutex);
	}).join();
	std::thread([&] { /* a real inversion: shard -> table_lock ... */
		s1.mutex_.Lock();
		pthread_mutex_lock(&table_lock);
		pthread_mutex_unlock(&table_lock);
		s1.mutex_.Unlock();
	}).join();
	std::thread([&] { /* ... and table_lock -> another shard */
		pthread_mutex_lock(&table_lock);
		s2.mutex_.Lock();
		s2.mutex_.Unlock();
		pthread_mutex_unlock(&table_lock);
	}).join();
	return 0;
}
