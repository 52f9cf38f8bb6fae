/* An out-of-order unlock must not cache the chains above it unvalidated:
 * A, x1, x2 taken, A released first; later x2 then x1 (two instances of
 * one class in both orders) is still the bank-transfer cycle. */
// expect: circular mk_account
#include "scenario.h"

pthread_mutex_t big_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *mk_account(void)
{
	pthread_mutex_t *m = malloc(sizeof *m);
	pthread_mutex_init(m, NULL);
	return m;
}

int main(void)
{
	pthread_mutex_t *x1 = mk_account(), *x2 = mk_account();
	L(&big_lock);
	L(x1);
	L(x2);
	U(&big_lock); /* out of order */
	U(x2);
	U(x1);
	L(x2);
	L(x1);
	U(x1);
	U(x2);
	return 0;
}
