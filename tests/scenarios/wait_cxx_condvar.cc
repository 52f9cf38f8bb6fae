// std::condition_variable (libstdc++ calls pthread_cond_*): a wait under
// outer_lock, and a notifier that takes outer_lock before notify_one().
// expect: wait outer_lock data_ready
// options: wait_check=1
// stderr: signal(data_ready) after taking outer_lock
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
