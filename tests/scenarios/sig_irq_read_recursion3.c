/* Kernel selftest "irq read-recursion #3" (irq_read_recursion3), "IRQ"
 * read as a SIGUSR1 handler. E1: with SIGUSR1 blocked, write-lock B, then
 * LOCK(A). E2: read-lock A with SIGUSR1 deliverable. E3: read-lock B in
 * the handler. The handler's read of B waits for B's writer, who waits in
 * LOCK(A) for the interrupted reader of A when LOCK(A) writes: context_order
 * in all six orders (wlk_B -> wlk_A). When LOCK(A) reads, the writer of B
 * is never blocked by A's reader: silent. */
// expect: 6x context_order wlk_B wlk_A
#include "sigperm.h"

static void in_irq(void)
{
	RL(B);
	RWU(B);
}

static void e1(void)
{
	IRQ_DISABLE();
	WL(B);
	LOCK(A);
	UNLOCK(A);
	RWU(B);
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
	return sig_run(WLK_A | WLK_B | RLK_A | RLK_B, RW_VARIANTS, events, 3);
}
