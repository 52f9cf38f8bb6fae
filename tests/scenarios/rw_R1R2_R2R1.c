/* RL(X) RL(Y)   and   RL(Y) RL(X): read-read ABBA.
 *   recursive reader: SR both ways, weak at both nodes: readers never
 *   block readers, silent (the false positive TSan gives).
 *   non-recursive reader: SN both ways, strong: writers queued on X and Y
 *   each block one reader, each writer waits for the other reader:
 *   reported. Both event orders. */
// expect: 2x circular nonrw_X nonrw_Y
#include "rwperm.h"

#define EVENTS(X, Y) { { { R_(X), R_(Y) } }, { { R_(Y), R_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y), non[] = EVENTS(nonrw_X, nonrw_Y);
	rw_both_kinds(rec, non, 2);
	return 0;
}
