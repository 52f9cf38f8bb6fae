// std::call_once whose callable throws twice: the exception unwinds through
// the runtime's pthread_once trampoline, the flag stays unset, and the third
// call runs the callable again (the program sees exactly what libstdc++ does).
// A later call under registry_lock orders it, so the runtime is seen working.
// expect: wait registry_lock once
// options: wait_check=1
#include <mutex>
#include <stdexcept>

std::mutex registry_lock;
std::once_flag registry_once;
static int tries;

static void load()
{
	std::lock_guard<std::mutex> g(registry_lock);
	if (++tries < 3)
		throw std::runtime_error("not yet");
}

int main()
{
	for (int i = 0; i < 3; i++) {
		try {
			std::call_once(registry_once, load);
		} catch (const std::exception &) {
		}
	}
	std::lock_guard<std::mutex> g(registry_lock);
	std::call_once(registry_once, load);
	return tries == 3 ? 0 : 99;
}
