// Clean twin of wait_cxx_condvar: outer_lock is released before the wait,
// so the notifier that takes outer_lock can always get it.
// expect: none
// options: wait_check=1
#include <condition_variable>
#include <mutex>
#include <thread>

std::mutex outer_lock, data_lock;
std::condition_variable data_ready;
static int ready;

int main()
{
	std::thread t([] {
		{ std::lock_guard<std::mutex> g(outer_lock); }
		std::lock_guard<std::mutex> g(data_lock);
		ready = 1;
		data_ready.notify_all();
	});
	{
		std::lock_guard<std::mutex> outer(outer_lock);
	}
	std::unique_lock<std::mutex> lk(data_lock);
	data_ready.wait(lk, [] { return ready != 0; });
	lk.unlock();
	t.join();
	return ready == 1 ? 0 : 99;
}
