// Clean twin of wait_cxx_call_once: callers do not hold registry_lock when
// they call std::call_once; they take it afterwards.
// expect: none
// options: wait_check=1
#include <mutex>
#include <thread>
#include <vector>

std::mutex registry_lock;
std::once_flag registry_once;
static int registry, uses;

static void load()
{
	std::lock_guard<std::mutex> g(registry_lock);
	registry = 7;
}

int main()
{
	std::vector<std::thread> ts;
	for (int i = 0; i < 4; i++)
		ts.emplace_back([] {
			std::call_once(registry_once, load);
			std::lock_guard<std::mutex> g(registry_lock);
			uses++;
		});
	for (auto &t : ts)
		t.join();
	return registry == 7 && uses == 4 ? 0 : 99;
}
