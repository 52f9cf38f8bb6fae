/* The kernel selftest IRQ matrix (lib/locking-selftest.c), with "IRQ" read
 * as a SIGUSR1 handler on the current thread and "irqs disabled" as SIGUSR1
 * blocked with pthread_sigmask().
 *
 * Each lock exists in three variants: spin_X (spin lock), wlk_X (rwlock
 * written) and rlk_X (rwlock read: a default glibc rwlock, recursive
 * readers, as the kernel's rwlock_t). LOCK(x)/UNLOCK(x) take and release
 * x in the variant under test; WL/RL/RWU(x) always write/read/unlock the
 * variant's rwlock x; SL/SU(x) take/release the spin lock spin_x.
 *
 * As in perm.h, every order of the events (2 or 3) runs in its own forked
 * child, from an empty graph, each event on its own thread. The child
 * first initialises the locks the test named in sig_run(), each at its
 * own call site (one class per lock, named by its symbol), then calls
 * init_more() if the test set it. */
#ifndef SIGPERM_H
#define SIGPERM_H
#include <signal.h>
#include <sys/wait.h>

#include "scenario.h"

static void (*irq_body)(void);
static volatile sig_atomic_t irqs;

static void on_irq(int sig)
{
	(void)sig;
	irq_body();
	irqs++;
}

/* Run body() as an "IRQ" on this thread. */
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

static void install_irq(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_irq;
	sigemptyset(&sa.sa_mask);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
}

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

static pthread_spinlock_t spin_A, spin_B;
static pthread_rwlock_t wlk_A, wlk_B, rlk_A, rlk_B;

static const struct variant {
	struct lk A, B;
} variants[] = {
	{ { SPIN, &spin_A, NULL }, { SPIN, &spin_B, NULL } },
	{ { WLOCK, NULL, &wlk_A }, { WLOCK, NULL, &wlk_B } },
	{ { RLOCK, NULL, &rlk_A }, { RLOCK, NULL, &rlk_B } },
};
static const struct variant *V;

/* The first variant sig_run() runs: all three, or the two rwlock ones. */
enum { ALL_VARIANTS = 0, RW_VARIANTS = 1 };

#define LOCK(x) lock(&V->x)
#define UNLOCK(x) unlock(&V->x)
#define WL(x) CHECK(pthread_rwlock_wrlock(V->x.rw) == 0)
#define RL(x) CHECK(pthread_rwlock_rdlock(V->x.rw) == 0)
#define RWU(x) CHECK(pthread_rwlock_unlock(V->x.rw) == 0)
#define SL(x) CHECK(pthread_spin_lock(&spin_##x) == 0)
#define SU(x) CHECK(pthread_spin_unlock(&spin_##x) == 0)

/* The locks sig_run() initialises. */
enum { SPIN_A = 1, SPIN_B = 2, WLK_A = 4, WLK_B = 8, RLK_A = 16, RLK_B = 32 };
#define AB_LOCKS (SPIN_A | SPIN_B | WLK_A | WLK_B | RLK_A | RLK_B)

static unsigned init_which;
static void (*init_more)(void);

static void init_locks(void)
{
	if (init_which & SPIN_A)
		CHECK(pthread_spin_init(&spin_A, 0) == 0);
	if (init_which & SPIN_B)
		CHECK(pthread_spin_init(&spin_B, 0) == 0);
	if (init_which & WLK_A)
		CHECK(pthread_rwlock_init(&wlk_A, NULL) == 0);
	if (init_which & WLK_B)
		CHECK(pthread_rwlock_init(&wlk_B, NULL) == 0);
	if (init_which & RLK_A)
		CHECK(pthread_rwlock_init(&rlk_A, NULL) == 0);
	if (init_which & RLK_B)
		CHECK(pthread_rwlock_init(&rlk_B, NULL) == 0);
	if (init_more)
		init_more();
}

typedef void (*event_fn)(void);

static void *event_thread(void *arg)
{
	(*(event_fn *)arg)();
	return NULL;
}

/* Every order of the n events, each in a fresh process (empty graph),
 * each event on its own thread. */
static void run_orders(const event_fn *ev, int n)
{
	static const int p2[2][2] = { { 0, 1 }, { 1, 0 } };
	static const int p3[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
				      { 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };
	CHECK(n == 2 || n == 3);
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

/* main() of a test: with the locks 'which', every variant from 'first',
 * every order of the n events. */
static int sig_run(unsigned which, int first, const event_fn *ev, int n)
{
	init_which = which;
	install_irq();
	for (size_t i = first; i < sizeof variants / sizeof variants[0]; i++) {
		V = &variants[i];
		run_orders(ev, n);
	}
	return 0;
}

#endif
