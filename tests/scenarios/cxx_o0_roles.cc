/* At -O0 every std::mutex is first locked from the same out-of-line
 * libstdc++ frames (std::mutex::lock, __gthread_mutex_lock). Keyed by that
 * frame, all never-initialised mutexes of a debug build are one class, and
 * an inversion between two roles is missed: the orders are seen on
 * different objects. Keyed by the first frame outside libstdc++, the
 * account and the ledger are two classes: t1 takes account -> ledger, t2
 * ledger -> account (other objects): a cycle. Names are demangled even
 * without the symbolizer. */
// expect: circular touch_account touch_ledger
// options: symbolize=0
// stderr: touch_account(Account*)+0x
#include <mutex>
#include <thread>

struct Account { std::mutex m; long balance = 0; };
struct Ledger { std::mutex m; long entries = 0; };

/* where each role's mutexes are first taken */
static void touch_account(Account *a) { std::lock_guard<std::mutex> g(a->m); a->balance++; }
static void touch_ledger(Ledger *l) { std::lock_guard<std::mutex> g(l->m); l->entries++; }

int main()
{
	Account *a1 = new Account, *a2 = new Account;
	Ledger *l1 = new Ledger, *l2 = new Ledger;
	touch_account(a1);
	touch_account(a2);
	touch_ledger(l1);
	touch_ledger(l2);
	std::thread([&] {
		std::lock_guard<std::mutex> x(a1->m);
		std::lock_guard<std::mutex> y(l1->m);
	}).join();
	std::thread([&] {
		std::lock_guard<std::mutex> x(l2->m);
		std::lock_guard<std::mutex> y(a2->m);
	}).join();
	return 0;
}
