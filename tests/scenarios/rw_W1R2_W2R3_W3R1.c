/* Kernel selftest W1R2_W2R3_W3R1 ("write-read / write-read / write-read
 * deadlock even if read is recursive"):
 *     WL(X) RL(Y)      WL(Y) RL(Z)      WL(Z) RL(X)
 * Every node of the ring X -> Y -> Z -> X is left by an E edge, so the
 * ring is strong for BOTH reader kinds: each thread write-holds one lock
 * and its read waits for the next thread's write. Reported in all 6 event
 * orders (kernel DO_TESTCASE_6x1RRB), each a fresh process. */
// expect: 6x circular recrw_X recrw_Y recrw_Z
// expect: 6x circular nonrw_X nonrw_Y nonrw_Z
#include "rwperm.h"

#define EVENTS(X, Y, Z) { { { W_(X), R_(Y) } }, { { W_(Y), R_(Z) } }, { { W_(Z), R_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y, recrw_Z), non[] = EVENTS(nonrw_X, nonrw_Y, nonrw_Z);
	rw_both_kinds(rec, non, 3);
	return 0;
}
