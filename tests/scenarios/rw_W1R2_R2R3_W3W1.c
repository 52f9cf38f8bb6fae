/* Kernel selftest W1R2_R2R3_W3W1 ("write-read / read-read / write-write
 * is not deadlock when read is recursive"):
 *     WL(X) RL(Y)      RL(Y) RL(Z)      WL(Z) WL(X)
 *   recursive reader: ring X -ER-> Y -SR-> Z -EN-> X. At Y the ring
 *   enters by xR (thread 1's read of Y) and leaves by Sx (thread 2 only
 *   read-holds Y): WEAK, thread 1's read is admitted beside thread 2's:
 *   silent in all 6 orders.
 *   non-recursive reader: EN, SN, EN: strong (a writer queued on Y blocks
 *   thread 1): reported in all 6 orders. */
// expect: 6x circular nonrw_X nonrw_Y nonrw_Z
#include "rwperm.h"

#define EVENTS(X, Y, Z) { { { W_(X), R_(Y) } }, { { R_(Y), R_(Z) } }, { { W_(Z), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y, recrw_Z), non[] = EVENTS(nonrw_X, nonrw_Y, nonrw_Z);
	rw_both_kinds(rec, non, 3);
	return 0;
}
