/* Kernel selftest "irq read-recursion #2" (irq_read_recursion2), "IRQ"
 * read as a SIGUSR1 handler. E1: with SIGUSR1 blocked, the spin lock B,
 * then LOCK(A). E2: read-lock A with SIGUSR1 deliverable. E3: B in the
 * handler. B is signal-safe, A signal-read-unsafe. If LOCK(A) writes
 * (wlk_A), the holder of B waits for the interrupted reader of A, whose
 * handler waits for B: context_order in all six orders. If LOCK(A) reads
 * (rlk_A), it never waits for a reader: silent. */
// expect: 6x context_order spin_B wlk_A
#include "sigperm.h"

static void in_irq(void)
{
	SL(B);
	SU(B);
}

static void e1(void)
{
	IRQ_DISABLE();
	SL(B);
	LOCK(A);
	UNLOCK(A);
	SU(B);
	IRQ_ENABLE();
}

static void e2(void)
{
	RL(A);
	RWU(A);
}

static void e3(void) { irq(in_irq); }

static const event_fn events[] = { e1, e2, e3 };

int main(void)
{
	return sig_run(SPIN_B | WLK_A | RLK_A, RW_VARIANTS, events, 3);
}
