// Locks first taken in std::thread lambdas, built at -O2: each lambda is
// inlined into libstdc++'s _M_run. The classes must be named after the
// lambdas' lines (cxx_lambda.cc:N), not after libstdc++'s thread routine,
// and the inversion between them is real.
#include <memory>
#include <mutex>
#include <thread>

int main()
{
	auto a = std::make_unique<std::mutex>(), b = std::make_unique<std::mutex>();
	std::thread t1([&] {
		std::lock_guard<std::mutex> la(*a);
		std::lock_guard<std::mutex> lb(*b);
	});
	t1.join();
	std::thread t2([&] {
		std::lock_guard<std::mutex> lb(*b);
		std::lock_guard<std::mutex> la(*a);
	});
	t2.join();
	return 0;
}
