/* Kernel selftest "safe-A + unsafe-B #2" (irqsafe4), "IRQ" read as a
 * SIGUSR1 handler. E1: with SIGUSR1 blocked, A then B. E2: B with SIGUSR1
 * deliverable (B is signal-unsafe). E3: A in the handler (A is
 * signal-safe). A itself is consistent; the order A -> B is the bug: a
 * thread holding B is interrupted, the handler spins on A, whose holder
 * waits for B. A context_order report in all six event orders, for spin
 * and written rwlock; recursive reads: silent. */
// expect: 6x context_order spin_A spin_B
// expect: 6x context_order wlk_A wlk_B
// stderr: SIGNAL-safe
// stderr: SIGNAL-unsafe
#include "sigperm.h"

static void a_in_irq(void)
{
	LOCK(A);
	UNLOCK(A);
}

static void e1(void)
{
	IRQ_DISABLE();
	LOCK(A);
	LOCK(B);
	UNLOCK(B);
	UNLOCK(A);
	IRQ_ENABLE();
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
