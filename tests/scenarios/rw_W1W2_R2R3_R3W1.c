/* Kernel selftest W1W2_R2R3_R3W1 ("write-write / read-read / read-write
 * is not deadlock when read is recursive"):
 *     WL(X) WL(Y)      RL(Y) RL(Z)      RL(Z) WL(X)
 *   recursive reader: ring X -EN-> Y -SR-> Z -SN-> X. At Z the ring
 *   enters by an xR edge (thread 2's read of Z) and leaves by an Sx edge
 *   (thread 3 only read-holds Z): WEAK. Thread 2's read of Z is admitted
 *   beside thread 3's, so the ring cannot close: silent in all 6 orders
 *   (kernel DO_TESTCASE_6x1RR).
 *   non-recursive reader: Y -> Z becomes SN, the ring is strong: a writer
 *   queued on Z stops thread 2's read. Reported in all 6 orders. */
// expect: 6x circular nonrw_X nonrw_Y nonrw_Z
#include "rwperm.h"

#define EVENTS(X, Y, Z) { { { W_(X), W_(Y) } }, { { R_(Y), R_(Z) } }, { { R_(Z), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y, recrw_Z), non[] = EVENTS(nonrw_X, nonrw_Y, nonrw_Z);
	rw_both_kinds(rec, non, 3);
	return 0;
}
