// std::call_once (libstdc++ builds it on pthread_once): the initialiser
// takes registry_lock, a later caller holds registry_lock.
// expect: wait registry_lock registry_once
// options: wait_check=1
// stderr: call_once(registry_once) with registry_lock held
#include <mutex>
#include <thread>

std::mutex registry_lock;
std::once_flag registry_once;
static int registry;

static void load()
{
	std::lock_guard<std::mutex> g(registry_lock);
	registry = 7;
}

int main()
{
	std::thread t([] { std::call_once(registry_once, load); });
	t.join();
	std::lock_guard<std::mutex> g(registry_lock);
	std::call_once(registry_once, load);
	return registry == 7 ? 0 : 99;
}
