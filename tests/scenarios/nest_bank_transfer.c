/* Same-class ABBA on two instances: transfer(from, to) locks the source
 * account, then the destination. All accounts are made by account_open()
 * (one init site, one class). Alice pays Bob while Bob pays Alice: each
 * holds its own account and waits for the other's. The kernel would need
 * an ordering rule or a nesting annotation; ulockdep orders instances and
 * reports the cycle once, naming the account class twice and listing the
 * two instances by their symbols (accounts, accounts+0x..). Transfers run
 * one after the other here, so the money still adds up. */
// expect: circular accounts
// stderr: Instances of one class in the cycle:
// stderr: (accounts)
// stderr: (accounts+0x
#include "scenario.h"

struct account {
	pthread_mutex_t lock;
	long balance;
};

static struct account accounts[2];
#define ALICE (&accounts[0])
#define BOB (&accounts[1])

static void account_open(struct account *a, long balance)
{
	CHECK(pthread_mutex_init(&a->lock, NULL) == 0);
	a->balance = balance;
}

struct xfer {
	struct account *from, *to;
	long amount;
};

static void *transfer(void *arg)
{
	struct xfer *x = arg;
	CHECK(L(&x->from->lock) == 0);
	CHECK(L(&x->to->lock) == 0);
	x->from->balance -= x->amount;
	x->to->balance += x->amount;
	CHECK(U(&x->to->lock) == 0);
	CHECK(U(&x->from->lock) == 0);
	return NULL;
}

int main(void)
{
	account_open(ALICE, 100);
	account_open(BOB, 50);
	struct xfer a2b = { ALICE, BOB, 30 }, b2a = { BOB, ALICE, 20 };
	on_thread(transfer, &a2b);
	on_thread(transfer, &a2b); /* same order again: nothing new */
	on_thread(transfer, &b2a);
	CHECK(ALICE->balance == 100 - 60 + 20);
	CHECK(BOB->balance == 50 + 60 - 20);
	return 0;
}
