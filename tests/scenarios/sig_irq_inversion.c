/* Kernel selftest "irq lock-inversion" (irq_inversion), "IRQ" read as a
 * SIGUSR1 handler. E1: with SIGUSR1 blocked, write-lock the rwlock inv_A,
 * then B. E2: B with SIGUSR1 deliverable. E3: read-lock inv_A in the
 * handler. A thread holding B is interrupted and the handler's read waits
 * for the writer of inv_A, who waits for B: a context_order report in all
 * six orders when B is a spin lock or written rwlock. When B is only ever
 * read (recursive readers), the writer's read of B never waits: silent. */
// expect: 6x context_order inv_A spin_B
// expect: 6x context_order inv_A wlk_B
#include "sigperm.h"

static pthread_rwlock_t inv_A;

static void init_inv_A(void)
{
	CHECK(pthread_rwlock_init(&inv_A, NULL) == 0);
}

static void a_read_in_irq(void)
{
	CHECK(pthread_rwlock_rdlock(&inv_A) == 0);
	CHECK(pthread_rwlock_unlock(&inv_A) == 0);
}

static void e1(void)
{
	IRQ_DISABLE();
	CHECK(pthread_rwlock_wrlock(&inv_A) == 0);
	LOCK(B);
	UNLOCK(B);
	CHECK(pthread_rwlock_unlock(&inv_A) == 0);
	IRQ_ENABLE();
}

static void e2(void)
{
	LOCK(B);
	UNLOCK(B);
}

static void e3(void) { irq(a_read_in_irq); }

static const event_fn events[] = { e1, e2, e3 };

int main(void)
{
	init_more = init_inv_A; /* after the A/B locks */
	return sig_run(AB_LOCKS, ALL_VARIANTS, events, 3);
}
