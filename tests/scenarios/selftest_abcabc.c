/* Kernel selftest ABCABC: events AB CA BC, in all 6 orders.
 * Each order is a fresh process; each must report the cycle. */
// expect: 6x circular lock_A lock_B lock_C
#include "perm.h"

int main(void)
{
	struct ev evs[] = { { &lock_A, &lock_B }, { &lock_C, &lock_A }, { &lock_B, &lock_C } };
	CHECK(run_all_orders(evs, 3) == 6);
	return 0;
}
