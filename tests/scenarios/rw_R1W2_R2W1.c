/* RL(X) WL(Y)   and   RL(Y) WL(X)
 * SN both ways: strong for BOTH reader kinds. Thread 1 read-holds X and
 * its write of Y waits for thread 2's read, whose write of X waits for
 * thread 1's read: reported, both event orders. */
// expect: 2x circular recrw_X recrw_Y
// expect: 2x circular nonrw_X nonrw_Y
#include "rwperm.h"

#define EVENTS(X, Y) { { { R_(X), W_(Y) } }, { { R_(Y), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y), non[] = EVENTS(nonrw_X, nonrw_Y);
	rw_both_kinds(rec, non, 2);
	return 0;
}
