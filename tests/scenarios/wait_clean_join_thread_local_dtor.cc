// Clean twin of wait_join_thread_local_dtor: the thread_local destructor
// takes only stats_lock; main joins with table_lock held.
// expect: none
#include <pthread.h>

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER, stats_lock = PTHREAD_MUTEX_INITIALIZER;
static int stats;

struct cache {
	int n = 0;
	~cache()
	{
		pthread_mutex_lock(&stats_lock);
		stats += n;
		pthread_mutex_unlock(&stats_lock);
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
	for (int i = 0; i < 2; i++) {
		pthread_t t;
		pthread_create(&t, nullptr, worker, nullptr);
		pthread_mutex_lock(&table_lock);
		pthread_join(t, nullptr);
		pthread_mutex_unlock(&table_lock);
	}
	return stats == 2 ? 0 : 99;
}
