/* Kernel selftest rlock_ABBA3 / rwsem_ABBA3:
 *     WL(X) L(Y)        and later        L(Y) WL(X)
 * A plain ABBA through the write side (EN both ways): reported for BOTH
 * reader kinds, in both event orders. */
// expect: 2x circular recrw_X mtx_Y
// expect: 2x circular nonrw_X mtx_Y
#include "rwperm.h"

#define EVENTS(X) { { { W_(X), M_(mtx_Y) } }, { { M_(mtx_Y), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X), non[] = EVENTS(nonrw_X);
	rw_both_kinds(rec, non, 2);
	return 0;
}
