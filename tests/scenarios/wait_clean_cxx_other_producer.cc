// Clean: std::condition_variable (libstdc++ calls pthread_cond_*): a wait
// under outer_lock is woken by a notifier without outer_lock; a later
// notifier takes outer_lock first, but the wait never depends on it.
// Before the evidence rule this reported wait outer_lock data_ready.
// expect: none
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex outer_lock, data_lock;
std::condition_variable data_ready;
static int ready;

int main()
{
	{
		std::lock_guard<std::mutex> outer(outer_lock);
		std::unique_lock<std::mutex> lk(data_lock);
		std::thread t([] {
			std::lock_guard<std::mutex> g(data_lock);
			ready = 1;
			data_ready.notify_one();
		});
		data_ready.wait(lk, [] { return ready != 0; });
		lk.unlock();
		t.join();
	}
	std::thread t2([] {
		{ std::lock_guard<std::mutex> g(outer_lock); }
		std::lock_guard<std::mutex> g(data_lock);
		ready = 2;
		data_ready.notify_all();
	});
	t2.join();
	return ready == 2 ? 0 : 99;
}
