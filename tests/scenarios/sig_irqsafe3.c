/* Kernel selftest "safe-A + unsafe-B #1" (irqsafe3), "IRQ" read as a
 * SIGUSR1 handler. E1: A then B, signal deliverable. E2: B, signal
 * deliverable. E3: A in the handler. A is both taken in the handler and
 * with the signal deliverable (inconsistent), and the order A -> B joins a
 * signal-safe lock to a signal-unsafe one (context_order). Both problems
 * exist in every one of the six event orders, so both are reported in
 * each, for spin and written rwlock. Recursive reads: silent. */
// expect: 6x inconsistent spin_A
// expect: 6x context_order spin_A spin_B
// expect: 6x inconsistent wlk_A
// expect: 6x context_order wlk_A wlk_B
#include "sigperm.h"

static void a_in_irq(void)
{
	LOCK(A);
	UNLOCK(A);
}

static void e1(void)
{
	LOCK(A);
	LOCK(B);
	UNLOCK(B);
	UNLOCK(A);
}

static void e2(void)
{
	LOCK(B);
	UNLOCK(B);
}

static void e3(void) { irq(a_in_irq); }

static const event_fn events[] = { e1, e2, e3 };

int main(void)
{
	return sig_run(AB_LOCKS, ALL_VARIANTS, events, 3);
}
