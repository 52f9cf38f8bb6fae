/* Seed 001 in userspace (lore: "iommu: Remove iova cpu hotplugging
 * flushing", Linux 6.0-rc6, drm-intel CI): a three-class cycle through two
 * read locks and a pseudo-lock.
 *
 *  - Driver probe (i2c_i801 adds a PCI device): device_add() calls the bus
 *    notifier chain under down_read(&priv->bus_notifier.rwsem); the IOMMU
 *    notifier probes the device, and iova_domain_init_rcaches() registers a
 *    CPU-hotplug instance under cpus_read_lock():
 *        &(&priv->bus_notifier)->rwsem --> cpu_hotplug_lock
 *  - The cpuhp thread brings a CPU up: cpu_hotplug_lock, then the
 *    "cpuhp_state-up" pseudo-lock (a lockdep_map: "running a hotplug
 *    callback"):
 *        cpu_hotplug_lock --> cpuhp_state-up
 *  - The coretemp callback adds a platform device from inside the hotplug
 *    callback: device_add() takes the bus notifier rwsem for read:
 *        cpuhp_state-up --> &(&priv->bus_notifier)->rwsem   (closes it)
 *
 * rw_semaphore and percpu_rw_semaphore readers queue behind a waiting
 * writer, so they are modeled as writer-preferring rwlocks (non-recursive
 * readers): the read-read path is a real deadlock. The two paths run one
 * after the other on two threads; ulockdep reports a circular dependency
 * with "Chain exists of:" as the kernel did.
 *
 * Run: build/ulockdep -- build/examples/seed_001 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <ulockdep/lockdep.h>

/* The kernel's init_rwsem(): a class per call site, named by argument. */
#define init_rwsem ulockdep_init_rwsem

#define BLOCKING_INIT_NOTIFIER_HEAD(name) init_rwsem(&(name)->rwsem)

/* kernel/cpu.c: DEFINE_STATIC_PERCPU_RWSEM(cpu_hotplug_lock) */
static pthread_rwlock_t cpu_hotplug_lock;
static struct lock_class_key cpuhp_state_up_key;
static struct lockdep_map cpuhp_state_up_map = STATIC_LOCKDEP_MAP_INIT("cpuhp_state-up", &cpuhp_state_up_key);

struct blocking_notifier_head {
	pthread_rwlock_t rwsem;
	int (*call)(void *data);
};

struct subsys_private {
	struct blocking_notifier_head bus_notifier;
};

struct device {
	struct subsys_private *bus;
	const char *name;
};

static struct subsys_private *platform_bus, *pci_bus;
static int iova_instances, hwmon_devices;

static void cpus_read_lock(void) { pthread_rwlock_rdlock(&cpu_hotplug_lock); }
static void cpus_read_unlock(void) { pthread_rwlock_unlock(&cpu_hotplug_lock); }

static void __cpuhp_state_add_instance(void)
{
	cpus_read_lock();
	iova_instances++;
	cpus_read_unlock();
}

static int iova_domain_init_rcaches(void)
{
	__cpuhp_state_add_instance();
	return 0;
}

static int iommu_probe_device(void *dev)
{
	(void)dev;
	return iova_domain_init_rcaches(); /* iommu_setup_dma_ops() */
}

static int iommu_bus_notifier(void *dev) { return iommu_probe_device(dev); }

static int hwmon_notifier(void *dev)
{
	(void)dev;
	hwmon_devices++;
	return 0;
}

static int blocking_notifier_call_chain(struct blocking_notifier_head *nh, void *data)
{
	pthread_rwlock_rdlock(&nh->rwsem);
	int r = nh->call(data);
	pthread_rwlock_unlock(&nh->rwsem);
	return r;
}

static int device_add(struct device *dev)
{
	return blocking_notifier_call_chain(&dev->bus->bus_notifier, dev);
}

static void subsys_register(struct subsys_private **bus, int (*notifier)(void *))
{
	struct subsys_private *priv = calloc(1, sizeof *priv);
	BLOCKING_INIT_NOTIFIER_HEAD(&priv->bus_notifier);
	priv->bus_notifier.call = notifier;
	*bus = priv;
}

/* modprobe i2c_i801: p2sb_bar() -> pci_scan_single_device() -> pci_device_add() */
static void *modprobe(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "modprobe");
	struct device pdev = { pci_bus, "0000:00:1f.1" };
	device_add(&pdev);
	return NULL;
}

/* coretemp: a platform device created from the hotplug callback */
static int coretemp_cpu_online(unsigned cpu)
{
	(void)cpu;
	struct device pdev = { platform_bus, "coretemp.0" };
	return device_add(&pdev); /* platform_device_add() */
}

/* The cpuhp/0 thread: the hotplug lock, then the state's pseudo-lock. */
static void *cpuhp_thread_fun(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "cpuhp/0");
	pthread_rwlock_wrlock(&cpu_hotplug_lock);
	lock_map_acquire(&cpuhp_state_up_map);
	coretemp_cpu_online(0); /* cpuhp_invoke_callback() */
	lock_map_release(&cpuhp_state_up_map);
	pthread_rwlock_unlock(&cpu_hotplug_lock);
	return NULL;
}

static void run(void *(*fn)(void *))
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, NULL) == 0)
		pthread_join(t, NULL);
}

int main(void)
{
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&cpu_hotplug_lock, &a);
	/* both buses' notifier heads are made at one site: one class, as in
	 * the kernel, so the order seen on the PCI bus counts for platform */
	subsys_register(&pci_bus, iommu_bus_notifier);
	subsys_register(&platform_bus, hwmon_notifier);
	run(modprobe);
	run(cpuhp_thread_fun);
	printf("iova instances %d, hwmon devices %d\n", iova_instances, hwmon_devices);
	return 0;
}
