// The twin of cxx_role_join_first_use: the same accounts, but audit()
// locks account 1 before account 0 while transfer() locked 0 before 1.
// The two first-use classes join one role (one line takes both), and the
// inversion of the same two locks is still a cycle: reported.
// expect: circular deposit transfer
#include <cstdio>
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

__attribute__((noinline)) static long audit(Account &a, Account &b)
{
	std::lock_guard<std::mutex> g1(a.m);
	std::lock_guard<std::mutex> g2(b.m);
	return a.bal + b.bal;
}

int main()
{
	for (int i = 0; i < 4; i++) {
		accounts.emplace_back();
		accounts.back().id = i;
	}
	deposit(accounts[0], 100);
	deposit(accounts[3], 100);
	transfer(accounts[0], accounts[1], 10);
	transfer(accounts[1], accounts[3], 5);
	return audit(accounts[1], accounts[0]) == 95 ? 0 : 1;
}
