/* Seed 004 as a scenario (examples/seed_004.c): k->k_lock is taken in the
 * DMAR fault "interrupt" (a SIGUSR1 handler sent with pthread_kill) and,
 * in klist_add_tail(), with SIGUSR1 deliverable: inconsistent lock state. */
// expect: inconsistent &k->k_lock
// stderr: WARNING: inconsistent lock state
// stderr: kworker/0:1/
// stderr: klist_add_tail+
// stderr: klist_next+
// stderr: faulting device: 03:02.0
#include "../../examples/seed_004.c"
