/* Seed 004 in userspace (lore: "lockdep splat due to klist iteration from
 * atomic context in Intel IOMMU driver", Linux 6.0-rc1, Lennert
 * Buytenhek): klist_next() takes k->k_lock with interrupts disabled
 * (spin_lock_irqsave since "klist: Make it safe to use klists in atomic
 * context"), but klist_add_tail() still takes it plainly, with interrupts
 * enabled. With CONFIG_INTEL_IOMMU_DEBUGFS, the DMAR fault interrupt
 * handler looks the faulting PCI device up with
 * pci_get_domain_bus_and_slot() -> bus_find_device() -> klist_next(), in
 * hard-IRQ context. A CPU adding a device (holding k_lock, interrupts on)
 * can take the fault interrupt, whose handler spins on k_lock forever.
 *
 * Userspace: the "CPU" is a thread, the hard IRQ is a SIGUSR1 handler
 * delivered to it with pthread_kill(), "interrupts disabled" is SIGUSR1
 * blocked with pthread_sigmask() (spin_lock_irqsave). ulockdep reports an
 * inconsistent lock state on &k->k_lock. The fix proposed in the thread:
 * make klist_add_tail() block the interrupt too (set IRQSAFE_ADD=1).
 *
 * Run: build/ulockdep -- build/examples/seed_004 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ulockdep/lockdep.h>

#ifndef IRQSAFE_ADD
#define IRQSAFE_ADD 0
#endif

#define DMAR_FAULT_IRQ SIGUSR1

/* The kernel's spin_lock_init(): a class per call site, named by the
 * argument (here "&k->k_lock"). */
#define spin_lock_init ulockdep_spin_lock_init

static sigset_t irq_set;

static void local_irq_save(sigset_t *flags) { pthread_sigmask(SIG_BLOCK, &irq_set, flags); }
static void local_irq_restore(const sigset_t *flags) { pthread_sigmask(SIG_SETMASK, flags, NULL); }

/* ---- lib/klist.c ---- */
struct klist_node {
	struct klist_node *next;
	void *data;
};

struct klist {
	pthread_spinlock_t k_lock;
	struct klist_node *head, *tail;
};

struct klist_iter {
	struct klist *i_klist;
	struct klist_node *i_cur;
};

static void klist_init(struct klist *k)
{
	spin_lock_init(&k->k_lock);
	k->head = k->tail = NULL;
}

static void klist_add_tail(struct klist_node *n, struct klist *k)
{
	sigset_t flags;
	if (IRQSAFE_ADD)
		local_irq_save(&flags);
	pthread_spin_lock(&k->k_lock); /* spin_lock(): interrupts stay on */
	n->next = NULL;
	if (k->tail)
		k->tail->next = n;
	else
		k->head = n;
	k->tail = n;
	pthread_spin_unlock(&k->k_lock);
	if (IRQSAFE_ADD)
		local_irq_restore(&flags);
}

static struct klist_node *klist_next(struct klist_iter *i)
{
	sigset_t flags;
	local_irq_save(&flags); /* spin_lock_irqsave() */
	pthread_spin_lock(&i->i_klist->k_lock);
	struct klist_node *n = i->i_cur ? i->i_cur->next : i->i_klist->head;
	i->i_cur = n;
	pthread_spin_unlock(&i->i_klist->k_lock);
	local_irq_restore(&flags);
	return n;
}

/* ---- drivers/base/bus.c, drivers/pci ---- */
struct pci_dev {
	struct klist_node knode_bus;
	int domain, bus, devfn;
};

static struct klist klist_devices; /* the PCI bus's device list */

static void bus_add_device(struct pci_dev *pdev)
{
	pdev->knode_bus.data = pdev;
	klist_add_tail(&pdev->knode_bus, &klist_devices);
}

static struct pci_dev *bus_find_device(int domain, int bus, int devfn)
{
	struct klist_iter i = { &klist_devices, NULL };
	struct klist_node *n;
	while ((n = klist_next(&i))) {
		struct pci_dev *p = n->data;
		if (p->domain == domain && p->bus == bus && p->devfn == devfn)
			return p;
	}
	return NULL;
}

static struct pci_dev *pci_get_domain_bus_and_slot(int domain, int bus, int devfn)
{
	return bus_find_device(domain, bus, devfn);
}

/* ---- drivers/iommu/intel: the DMAR fault interrupt ---- */
static volatile sig_atomic_t faults_handled;
static struct pci_dev *faulting;

static void pgtable_walk(int bus, int devfn)
{
	faulting = pci_get_domain_bus_and_slot(0, bus, devfn);
}

static void dmar_fault(int irq)
{
	(void)irq;
	pgtable_walk(3, 0x10); /* dmar_fault_do_one() -> dmar_fault_dump_ptes() */
	faults_handled++;
}

/* ---- a CPU: probes devices, and takes the fault interrupt ---- */
static pthread_barrier_t probed, fault_done;

static void *cpu0(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "kworker/0:1");
	static struct pci_dev devs[3] = { { .bus = 0, .devfn = 0 }, { .bus = 3, .devfn = 0x10 }, { .bus = 4 } };
	for (int i = 0; i < 3; i++)
		bus_add_device(&devs[i]); /* pci_bus_add_device() */
	pthread_barrier_wait(&probed);
	pthread_barrier_wait(&fault_done); /* the interrupt arrives meanwhile */
	return NULL;
}

int main(void)
{
	sigemptyset(&irq_set);
	sigaddset(&irq_set, DMAR_FAULT_IRQ);
	struct sigaction sa = { 0 };
	sa.sa_handler = dmar_fault; /* request_irq() */
	sigemptyset(&sa.sa_mask);
	sigaction(DMAR_FAULT_IRQ, &sa, NULL);
	/* only the CPU thread takes the interrupt */
	pthread_sigmask(SIG_BLOCK, &irq_set, NULL);
	klist_init(&klist_devices);
	pthread_barrier_init(&probed, NULL, 2);
	pthread_barrier_init(&fault_done, NULL, 2);

	pthread_t cpu;
	sigset_t none;
	sigemptyset(&none);
	pthread_sigmask(SIG_SETMASK, &none, NULL); /* the CPU starts with it on */
	pthread_create(&cpu, NULL, cpu0, NULL);
	pthread_sigmask(SIG_BLOCK, &irq_set, NULL);
	pthread_barrier_wait(&probed);
	pthread_kill(cpu, DMAR_FAULT_IRQ); /* an I/O page fault */
	while (!faults_handled)
		sched_yield();
	pthread_barrier_wait(&fault_done);
	pthread_join(cpu, NULL);
	printf("faulting device: %02x:%02x.%d\n", faulting ? faulting->bus : -1,
	       faulting ? faulting->devfn >> 3 : -1, faulting ? faulting->devfn & 7 : -1);
	return 0;
}
