/* Kernel selftest W1W2_R2R3_W3R1 ("write-write / read-read / write-read
 * deadlock even if read is recursive"):
 *     WL(X) WL(Y)      RL(Y) RL(Z)      WL(Z) RL(X)
 * Ring X -EN-> Y -SR-> Z -ER-> X (recursive) or EN, SN, EN (non-recursive).
 * The only xR edges (into Z, into X) are followed by edges leaving Z and X
 * exclusively held (E): strong for BOTH kinds. Thread 2 read-holds Y and
 * reads Z, which thread 3 write-holds; thread 3 waits to read X, which
 * thread 1 write-holds; thread 1 waits to write Y. Reported in all 6
 * event orders. */
// expect: 6x circular recrw_X recrw_Y recrw_Z
// expect: 6x circular nonrw_X nonrw_Y nonrw_Z
#include "rwperm.h"

#define EVENTS(X, Y, Z) { { { W_(X), W_(Y) } }, { { R_(Y), R_(Z) } }, { { W_(Z), R_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y, recrw_Z), non[] = EVENTS(nonrw_X, nonrw_Y, nonrw_Z);
	rw_both_kinds(rec, non, 3);
	return 0;
}
