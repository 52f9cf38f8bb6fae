/* Kernel selftest ABBCCDDA: events AB BC CD DA, in all 24 orders.
 * Each order is a fresh process; each must report the cycle. */
// expect: 24x circular lock_A lock_B lock_C lock_D
#include "perm.h"

int main(void)
{
	struct ev evs[] = { { &lock_A, &lock_B }, { &lock_B, &lock_C }, { &lock_C, &lock_D }, { &lock_D, &lock_A } };
	CHECK(run_all_orders(evs, 4) == 24);
	return 0;
}
