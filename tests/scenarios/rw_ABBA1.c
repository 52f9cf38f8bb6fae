/* Kernel selftest rlock_ABBA1 / rwsem_ABBA1:
 *     RL(X) L(Y)        and later        L(Y) WL(X)
 * Edges X -> Y (X held shared, Y exclusive: SN) and Y -> X (EN). No edge
 * takes its target as a recursive reader, so the cycle is strong whatever
 * the reader kind: thread 1 read-holds X and waits for Y, thread 2 holds Y
 * and its write of X waits for thread 1's read. Reported for BOTH kinds,
 * in both event orders (each order a fresh process). */
// expect: 2x circular recrw_X mtx_Y
// expect: 2x circular nonrw_X mtx_Y
#include "rwperm.h"

#define EVENTS(X) { { { R_(X), M_(mtx_Y) } }, { { M_(mtx_Y), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X), non[] = EVENTS(nonrw_X);
	rw_both_kinds(rec, non, 2);
	return 0;
}
