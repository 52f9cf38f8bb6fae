/* WL(X) RL(Y)   and   WL(Y) RL(X)
 * X -> Y and Y -> X are ER (recursive) / EN (non-recursive). Each node is
 * left by an E edge, so no xR edge is followed by an Sx edge: strong for
 * BOTH kinds. A read waits for a write holder no matter the kind:
 * reported, both event orders. */
// expect: 2x circular recrw_X recrw_Y
// expect: 2x circular nonrw_X nonrw_Y
#include "rwperm.h"

#define EVENTS(X, Y) { { { W_(X), R_(Y) } }, { { W_(Y), R_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y), non[] = EVENTS(nonrw_X, nonrw_Y);
	rw_both_kinds(rec, non, 2);
	return 0;
}
