/* An RTOS driver tested on the host: interrupts are simulated with
 * ulockdep_context_enter()/ulockdep_context_exit() around each ISR call,
 * IRQ n sharing numbering with signals (here 40 and 41, real-time signal
 * numbers the program does not use), and "interrupts off" is that signal
 * number blocked with pthread_sigmask().
 * rx_lock: taken by the RX ISR (IRQ 40) and by the task with IRQ 40 off:
 * consistent. But the task, IRQs off, takes log_lock under rx_lock, and
 * log_lock is also taken with IRQ 40 on: context_order rx_lock -> log_lock.
 * tx_lock: taken by the TX ISR (IRQ 41) and by the task with IRQs on:
 * inconsistent.
 * stat_lock: taken by the RX ISR after a nested TX interrupt returned, so
 * still in IRQ 40's context, and by the task with IRQs on: inconsistent. */
// expect: context_order rx_lock log_lock
// expect: inconsistent tx_lock
// expect: inconsistent stat_lock
#include "scenario.h"

#include <signal.h>
#include <ulockdep.h>

#define RX_IRQ 40
#define TX_IRQ 41

pthread_mutex_t rx_lock = PTHREAD_MUTEX_INITIALIZER, tx_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER, stat_lock = PTHREAD_MUTEX_INITIALIZER;
static int rx_bytes, tx_done, stats;

static void irq_off(int irq)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, irq);
	CHECK(pthread_sigmask(SIG_BLOCK, &s, NULL) == 0);
}

static void irq_on(int irq)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, irq);
	CHECK(pthread_sigmask(SIG_UNBLOCK, &s, NULL) == 0);
}

static void tx_isr(void)
{
	CHECK(L(&tx_lock) == 0);
	tx_done++;
	CHECK(U(&tx_lock) == 0);
}

static void rx_isr(int nested_tx)
{
	CHECK(L(&rx_lock) == 0);
	rx_bytes++;
	CHECK(U(&rx_lock) == 0);
	if (nested_tx) { /* TX fires while the RX ISR runs */
		ulockdep_context_enter(TX_IRQ);
		ulockdep_context_exit(TX_IRQ);
		CHECK(L(&stat_lock) == 0); /* back in the RX ISR */
		stats++;
		CHECK(U(&stat_lock) == 0);
	}
}

/* The simulator's interrupt dispatch. */
static void raise_irq(int irq, int nested_tx)
{
	ulockdep_context_enter(irq);
	if (irq == RX_IRQ)
		rx_isr(nested_tx);
	else
		tx_isr();
	ulockdep_context_exit(irq);
}

static void *task(void *arg)
{
	(void)arg;
	irq_off(RX_IRQ);
	CHECK(L(&rx_lock) == 0);
	CHECK(L(&log_lock) == 0);
	rx_bytes = 0;
	CHECK(U(&log_lock) == 0);
	CHECK(U(&rx_lock) == 0);
	irq_on(RX_IRQ);
	CHECK(L(&log_lock) == 0); /* IRQs on */
	CHECK(U(&log_lock) == 0);
	CHECK(L(&tx_lock) == 0);  /* IRQs on: TX ISR can preempt */
	tx_done = 0;
	CHECK(U(&tx_lock) == 0);
	CHECK(L(&stat_lock) == 0);
	stats = 0;
	CHECK(U(&stat_lock) == 0);
	return NULL;
}

int main(void)
{
	raise_irq(RX_IRQ, 0);
	raise_irq(TX_IRQ, 0);
	raise_irq(RX_IRQ, 1);
	CHECK(rx_bytes == 2 && tx_done == 1 && stats == 1);
	on_thread(task, NULL);
	return 0;
}
