// std::condition_variable (libstdc++ calls pthread_cond_*): a wait under
// outer_lock, and the only notifier takes outer_lock before notify_one().
// expect: wait outer_lock data_ready
// stderr: signal(data_ready) after taking outer_lock
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex outer_lock, data_lock;
std::condition_variable data_ready;
static int ready, waiting;
static std::atomic<int> passed;

int main()
{
	std::thread t([] {
		{ std::lock_guard<std::mutex> g(outer_lock); }
		passed = 1;
		std::unique_lock<std::mutex> lk(data_lock);
		while (!waiting) {
			lk.unlock();
			std::this_thread::yield();
			lk.lock();
		}
		ready = 1;
		data_ready.notify_one();
	});
	while (!passed)
		std::this_thread::yield();
	{
		std::lock_guard<std::mutex> outer(outer_lock);
		std::unique_lock<std::mutex> lk(data_lock);
		waiting = 1;
		data_ready.wait(lk, [] { return ready != 0; });
	}
	t.join();
	return ready == 1 ? 0 : 99;
}
