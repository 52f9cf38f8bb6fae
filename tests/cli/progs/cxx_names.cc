// Two std::mutex members taken in both orders by static functions, built at
// -O2: std::lock_guard, std::mutex::lock and __gthread_mutex_lock are all
// inlined. The report must name each lock and each "at:" by the user's own
// line (cxx_names.cc:N), not by the libstdc++ header the call sits in.
#include <mutex>
#include <thread>

struct Account {
	std::mutex m;
	long balance = 0;
};

__attribute__((noinline)) static void move_money(Account *from, Account *to)
{
	std::lock_guard<std::mutex> a(from->m);
	std::lock_guard<std::mutex> b(to->m);
	from->balance--;
	to->balance++;
}

int main()
{
	Account *x = new Account, *y = new Account;
	std::thread t1(move_money, x, y);
	t1.join();
	std::thread t2(move_money, y, x);
	t2.join();
	return x->balance + y->balance == 0 ? 0 : 1;
}
