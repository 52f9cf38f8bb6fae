/* Kernel selftest ABBA_wlock: WL(X) WL(Y) / WL(Y) WL(X) on rwlocks. Only
 * writes: a plain ABBA, reported for BOTH reader kinds in both orders. */
// expect: 2x circular recrw_X recrw_Y
// expect: 2x circular nonrw_X nonrw_Y
#include "rwperm.h"

#define EVENTS(X, Y) { { { W_(X), W_(Y) } }, { { W_(Y), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y), non[] = EVENTS(nonrw_X, nonrw_Y);
	rw_both_kinds(rec, non, 2);
	return 0;
}
