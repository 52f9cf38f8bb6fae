// C++ std::mutex and std::shared_mutex through libstdc++.
// expect: circular account_mu audit_mu
// expect: circular catalog_rw index_mu
#include <mutex>
#include <shared_mutex>
#include <thread>

std::mutex account_mu, audit_mu, index_mu;
std::shared_mutex catalog_rw;

int main()
{
	std::thread([] {
		std::lock_guard<std::mutex> a(account_mu);
		std::lock_guard<std::mutex> b(audit_mu);
	}).join();
	std::thread([] {
		std::lock_guard<std::mutex> b(audit_mu);
		std::lock_guard<std::mutex> a(account_mu);
	}).join();
	// writer holds catalog then index; a reader takes index then catalog
	std::thread([] {
		std::unique_lock<std::shared_mutex> w(catalog_rw);
		std::lock_guard<std::mutex> i(index_mu);
	}).join();
	std::thread([] {
		std::lock_guard<std::mutex> i(index_mu);
		std::unique_lock<std::shared_mutex> w(catalog_rw);
	}).join();
	return 0;
}
