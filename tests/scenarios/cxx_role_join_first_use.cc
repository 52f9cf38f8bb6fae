// Accounts' std::mutex members, first locked in two functions: deposit()
// and transfer() each give the first-use class of the locks they touch
// first. transfer() always locks the lower id first, so the two classes
// nest in both orders but the instances never do: no deadlock. The line in
// transfer() that takes locks of both classes shows they are one role (at
// -O0 std::mutex::lock is library code; the line is found past it).
// Before, "lock@deposit <-> lock@transfer" was reported as circular.
// expect: none
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>

struct Account {
	std::mutex m;
	int id = 0;
	long bal = 0;
};

static std::deque<Account> accounts;

__attribute__((noinline)) static void deposit(Account &a, long n)
{
	std::lock_guard<std::mutex> g(a.m);
	a.bal += n;
}

__attribute__((noinline)) static void transfer(Account &from, Account &to, long n)
{
	Account &lo = from.id < to.id ? from : to, &hi = from.id < to.id ? to : from;
	std::lock_guard<std::mutex> g1(lo.m);
	std::lock_guard<std::mutex> g2(hi.m);
	from.bal -= n;
	to.bal += n;
}

int main()
{
	for (int i = 0; i < 4; i++) {
		accounts.emplace_back();
		accounts.back().id = i;
	}
	deposit(accounts[0], 100); // accounts 0 and 3 are first locked in deposit()
	deposit(accounts[3], 100);
	transfer(accounts[0], accounts[1], 10); // 0 -> 1
	transfer(accounts[1], accounts[3], 5);  // 1 -> 3
	long s = 0;
	for (auto &a : accounts)
		s += a.bal;
	if (s != 200)
		abort();
	return 0;
}
