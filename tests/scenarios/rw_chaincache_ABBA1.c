/* Kernel selftest rlock_chaincache_ABBA1: the read mode must be part of
 * the chain key. In this order, in one process:
 *     RL(X) L(Y)      X -> Y (SN)
 *     L(Y) RL(X)      Y -> X; for a recursive reader ER: weak cycle, fine,
 *                     and the chain "Y, X" is now cached as validated
 *     L(Y) WL(X)      Y -> X (EN): strong cycle. If the chain key ignored
 *                     the read mode, this chain would hit the cached
 *                     "Y, X" and the deadlock would go unreported.
 *   recursive reader: exactly one report, made at the third event.
 *   non-recursive reader: the second event already closes a strong cycle
 *   (rwsem_ABBA2) and is reported; the third adds nothing new (same
 *   classes, same EN dependency): one report. */
// expect: circular recrw_X mtx_Y
// expect: circular nonrw_X mtx_Y
#include "rwperm.h"

#define EVENTS(X) { { { R_(X), M_(mtx_Y) } }, { { M_(mtx_Y), R_(X) } }, { { M_(mtx_Y), W_(X) } } }

int main(void)
{
	rwperm_init();
	struct rwev rec[] = EVENTS(recrw_X), non[] = EVENTS(nonrw_X);
	/* the first two events alone must stay silent for recursive reads:
	 * run them in their own process first */
	rw_in_order(rec, 2);
	rw_in_order(rec, 3);
	rw_in_order(non, 3);
	return 0;
}
