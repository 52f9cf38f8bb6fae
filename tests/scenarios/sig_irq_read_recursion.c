/* Kernel selftest "irq read-recursion" (irq_read_recursion), "IRQ" read as
 * a SIGUSR1 handler. E1: with SIGUSR1 blocked, write-lock A. E2: read-lock
 * A with SIGUSR1 deliverable. E3: in the handler, LOCK(A) then the spin
 * lock B. Written in the handler (wlk_A): the handler can interrupt the
 * reader and wait for it forever, inconsistent, in all six orders. Read
 * in the handler (rlk_A): a recursive read next to a read, silent. */
// expect: 6x inconsistent wlk_A
#include "sigperm.h"

static void in_irq(void)
{
	LOCK(A);
	SL(B);
	SU(B);
	UNLOCK(A);
}

static void e1(void)
{
	IRQ_DISABLE();
	WL(A);
	RWU(A);
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
