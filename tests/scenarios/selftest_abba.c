/* Kernel selftest ABBA: events AB BA, in all 2 orders.
 * Each order is a fresh process; each must report the cycle. */
// expect: 2x circular lock_A lock_B
#include "perm.h"

int main(void)
{
	struct ev evs[] = { { &lock_A, &lock_B }, { &lock_B, &lock_A } };
	CHECK(run_all_orders(evs, 2) == 2);
	return 0;
}
