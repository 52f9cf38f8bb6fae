/* Kernel selftest "irqs-on + irq-safe-A" (irqsafe1), with "IRQ" read as a
 * SIGUSR1 handler: A is taken in the handler, and elsewhere with SIGUSR1
 * deliverable. Both event orders, each from an empty graph, for a spin
 * lock, an rwlock written and an rwlock read. Written: the handler can
 * interrupt the holder and spin on A forever, an inconsistent lock state.
 * Read (recursive readers, as the kernel's rwlock_t): a read in the
 * handler never waits for a reader, silent. */
// expect: 2x inconsistent spin_A
// expect: 2x inconsistent wlk_A
// stderr: WARNING: inconsistent lock state
// stderr: <Interrupt>
#include "sigperm.h"

static void a_in_irq(void)
{
	LOCK(A);
	UNLOCK(A);
}

static void e1(void) { irq(a_in_irq); }

static void e2(void)
{
	LOCK(A);
	UNLOCK(A);
}

static const event_fn events[] = { e1, e2 };

int main(void)
{
	return sig_run(AB_LOCKS, ALL_VARIANTS, events, 2);
}
