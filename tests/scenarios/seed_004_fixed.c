/* Seed 004 with the fix discussed in the thread (examples/seed_004.c,
 * IRQSAFE_ADD=1): klist_add_tail() blocks the interrupt around k_lock as
 * the iterators do. The lock is now taken only in the handler or with the
 * signal blocked: silent. */
// expect: none
// stderr: faulting device: 03:02.0
#define IRQSAFE_ADD 1
#include "../../examples/seed_004.c"
