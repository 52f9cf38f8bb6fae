/* RL(X) RL(Y)   and   RL(Y) WL(X)
 *   recursive reader: X -> Y is SR, Y -> X is SN. At Y the cycle enters
 *   by xR and leaves by Sx: WEAK. Thread 1 (read X, wants read Y) is
 *   admitted while thread 2 read-holds Y, so it never waits: silent.
 *   non-recursive reader: X -> Y is SN, strong cycle: a writer queued on
 *   Y blocks thread 1, thread 2 waits for thread 1's read of X: reported.
 * Both event orders. */
// expect: 2x circular nonrw_X nonrw_Y
#include "rwperm.h"

#define EVENTS(X, Y) { { { R_(X), R_(Y) } }, { { R_(Y), W_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X, recrw_Y), non[] = EVENTS(nonrw_X, nonrw_Y);
	rw_both_kinds(rec, non, 2);
	return 0;
}
