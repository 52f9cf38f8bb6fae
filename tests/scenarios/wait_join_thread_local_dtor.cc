// A C++ thread_local object whose destructor takes table_lock: it runs
// when the worker exits, after its function returned and before the join
// returns. main joins the worker with table_lock held. (Here the
// destructor got the lock first.)
// expect: wait table_lock
#include <pthread.h>
#include <sched.h>

#include <atomic>

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table;
static std::atomic<int> flushed;

struct cache {
	int n = 0;
	~cache()
	{
		pthread_mutex_lock(&table_lock);
		table += n;
		pthread_mutex_unlock(&table_lock);
		flushed = 1;
	}
};
static thread_local cache local;

static void *worker(void *)
{
	local.n = 1;
	return nullptr;
}

int main()
{
	pthread_t t;
	pthread_create(&t, nullptr, worker, nullptr);
	while (!flushed)
		sched_yield();
	pthread_mutex_lock(&table_lock);
	pthread_join(t, nullptr);
	pthread_mutex_unlock(&table_lock);
	return table == 1 ? 0 : 99;
}
