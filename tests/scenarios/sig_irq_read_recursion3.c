/* Kernel selftest "irq read-recursion #3" (irq_read_recursion3), "IRQ"
 * read as a SIGUSR1 handler. E1: with SIGUSR1 blocked, write-lock B, then
 * LOCK(A). E2: read-lock A with SIGUSR1 deliverable. E3: read-lock B in
 * the handler. The handler's read of B waits for B's writer, who waits in
 * LOCK(A) for the interrupted reader of A when LOCK(A) writes: context_order
 * in all six orders (wlk_B -> wlk_A). When LOCK(A) reads, the writer of B
 * is never blocked by A's reader: silent. */
// expect: 6x context_order wlk_B wlk_A
#include "scenario.h"

#include <signal.h>
#include <sys/wait.h>

/* "IRQ" = a SIGUSR1 handler on the current thread; "irqs disabled" =
 * SIGUSR1 blocked with pthread_sigmask(). */
static void (*irq_body)(void);
static volatile sig_atomic_t irqs;

static void on_irq(int sig)
{
	(void)sig;
	irq_body();
	irqs++;
}

static void irq(void (*body)(void))
{
	int before = irqs;
	irq_body = body;
	CHECK(raise(SIGUSR1) == 0);
	CHECK(irqs == before + 1); /* the handler ran */
}

static void irq_mask(int how)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	CHECK(pthread_sigmask(how, &s, NULL) == 0);
}

#define IRQ_DISABLE() irq_mask(SIG_BLOCK)
#define IRQ_ENABLE() irq_mask(SIG_UNBLOCK)

/* A lock of the variant under test: spin, rwlock written, rwlock read. */
enum { SPIN, WLOCK, RLOCK };
struct lk {
	int kind;
	pthread_spinlock_t *s;
	pthread_rwlock_t *rw;
};

static void lock(const struct lk *l)
{
	if (l->kind == SPIN)
		CHECK(pthread_spin_lock(l->s) == 0);
	else if (l->kind == WLOCK)
		CHECK(pthread_rwlock_wrlock(l->rw) == 0);
	else
		CHECK(pthread_rwlock_rdlock(l->rw) == 0);
}

static void unlock(const struct lk *l)
{
	if (l->kind == SPIN)
		CHECK(pthread_spin_unlock(l->s) == 0);
	else
		CHECK(pthread_rwlock_unlock(l->rw) == 0);
}

typedef void (*event_fn)(void);

static void *event_thread(void *arg)
{
	(*(event_fn *)arg)();
	return NULL;
}

static void init_locks(void);

/* Every order of the n events, each in a fresh process (empty graph),
 * each event on its own thread. */
static void run_orders(const event_fn *ev, int n)
{
	static const int p2[2][2] = { { 0, 1 }, { 1, 0 } };
	static const int p3[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
				      { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	for (int k = 0; k < (n == 2 ? 2 : 6); k++) {
		pid_t pid = fork();
		CHECK(pid >= 0);
		if (pid == 0) {
			init_locks();
			for (int i = 0; i < n; i++) {
				event_fn e = ev[n == 2 ? p2[k][i] : p3[k][i]];
				on_thread(event_thread, &e);
			}
			_exit(0);
		}
		int st;
		CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

static void install_irq(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_irq;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
}

static pthread_rwlock_t wlk_A, wlk_B, rlk_A, rlk_B;

static void init_locks(void)
{
	CHECK(pthread_rwlock_init(&wlk_A, NULL) == 0);
	CHECK(pthread_rwlock_init(&wlk_B, NULL) == 0);
	CHECK(pthread_rwlock_init(&rlk_A, NULL) == 0);
	CHECK(pthread_rwlock_init(&rlk_B, NULL) == 0);
}

/* LOCK(A) is the variant's operation on the rwlock A (write or read);
 * WL/RL always write/read. */
static const struct variant {
	struct lk A, B;
} variants[] = {
	{ { WLOCK, NULL, &wlk_A }, { WLOCK, NULL, &wlk_B } },
	{ { RLOCK, NULL, &rlk_A }, { RLOCK, NULL, &rlk_B } },
};
static const struct variant *V;
#define LOCK(x) lock(&V->x)
#define UNLOCK(x) unlock(&V->x)
#define WL(x) CHECK(pthread_rwlock_wrlock(V->x.rw) == 0)
#define RL(x) CHECK(pthread_rwlock_rdlock(V->x.rw) == 0)
#define RWU(x) CHECK(pthread_rwlock_unlock(V->x.rw) == 0)

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
	install_irq();
	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		V = &variants[i];
		run_orders(events, sizeof events / sizeof events[0]);
	}
	return 0;
}
