/* Kernel selftest "safe-A + irqs-on" (irqsafe2B), "IRQ" read as a SIGUSR1
 * handler: A is taken in the handler; elsewhere A is taken with SIGUSR1
 * blocked, and SIGUSR1 is unblocked while A is still held. Unblocking the
 * signal with a signal-safe lock held counts as taking it with the signal
 * enabled: inconsistent, in both orders, for spin and written rwlock;
 * silent for recursive reads. */
// expect: 2x inconsistent spin_A
// expect: 2x inconsistent wlk_A
#include "sigperm.h"

static void a_in_irq(void)
{
	LOCK(A);
	UNLOCK(A);
}

static void e1(void) { irq(a_in_irq); }

static void e2(void)
{
	IRQ_DISABLE();
	LOCK(A);
	IRQ_ENABLE(); /* A held, SIGUSR1 deliverable again */
	UNLOCK(A);
}

static const event_fn events[] = { e1, e2 };

int main(void)
{
	return sig_run(AB_LOCKS, ALL_VARIANTS, events, 2);
}
