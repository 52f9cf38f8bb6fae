/* Kernel selftest rlock_ABBA2 / rwsem_ABBA2:
 *     RL(X) L(Y)        and later        L(Y) RL(X)
 *   recursive reader: edges X -> Y (SN) and Y -> X (ER). At X the cycle
 *   enters by an xR edge and leaves by an Sx edge: a WEAK cycle. Indeed
 *   thread 2's read of X is admitted while thread 1 read-holds X, writer
 *   queued or not: no deadlock, silent ("should NOT fail" in the kernel).
 *   non-recursive reader: Y -> X is EN, the cycle is strong: a writer
 *   queued on X blocks thread 2's read, and the writer waits for thread 1,
 *   which waits for Y: reported.
 * Both event orders, each in a fresh process. */
// expect: 2x circular nonrw_X mtx_Y
#include "rwperm.h"

#define EVENTS(X) { { { R_(X), M_(mtx_Y) } }, { { M_(mtx_Y), R_(X) } } }

int main(void)
{
	struct rwev rec[] = EVENTS(recrw_X), non[] = EVENTS(nonrw_X);
	rw_both_kinds(rec, non, 2);
	return 0;
}
