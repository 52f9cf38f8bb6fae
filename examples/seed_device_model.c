/* Seeds 000 and 003 in userspace: a model of the Linux device core, with
 * the kernel's lock annotations kept as they are (<ulockdep/lockdep.h>).
 *
 * dev->mutex is the device lock. As in the kernel's device_initialize(),
 * its class is "novalidate": ulockdep tracks it as held but checks no
 * order on it, so a self-deadlock on it is NOT reported as such (seed 000:
 * "I'm puzzled why lockdep isn't shouting over this"). What catches the
 * misuse are lock assertions:
 *  - seed 000 (vfio/mdev, Linux 6.5-rc6): mdev_device_create() attaches
 *    the driver under the device lock; the probe registers the vfio device,
 *    which adds it to an IOMMU group, and iommu_group_add_device() takes
 *    the device lock again. Eric Farman's lockdep_assert_not_held() there
 *    fires with the call chain and the held locks, including &dev->mutex.
 *  - seed 003 (iommu probe locking, Linux 6.5-rc7): __iommu_probe_device()
 *    asserts the device lock (device_lock_assert()). The bus probe path
 *    holds it; drivers that call of_dma_configure() for another device
 *    during their own probe (msm's a6xx_gmu_init()) do not, and the
 *    assertion fires.
 * dev->mutex is an error-checking mutex, so the real self-deadlock returns
 * EDEADLK instead of hanging the model.
 *
 * Run: build/ulockdep -- build/examples/seed_device_model */
#ifndef SEED_DEVICE_MODEL_C
#define SEED_DEVICE_MODEL_C
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <ulockdep/lockdep.h>

/* The kernel's mutex_init()/init_rwsem(): a class per call site, named by
 * the argument ("&of->mutex"). An rw_semaphore's readers queue behind a
 * waiting writer: a writer-preferring (non-recursive reader) rwlock. */
#define mutex_init ulockdep_mutex_init

#define init_rwsem ulockdep_init_rwsem

struct iommu_group {
	pthread_mutex_t mutex;
	int ndevices;
};

struct device;

struct bus_type {
	const char *name;
	int (*dma_configure)(struct device *dev);
};

struct device_driver {
	const char *name;
	int (*probe)(struct device *dev);
};

struct device {
	pthread_mutex_t mutex; /* device_lock() */
	const char *name;
	struct bus_type *bus;
	struct device_driver *driver;
	struct iommu_group *iommu_group;
	bool dma_configured;
	struct device *companion; /* a device another driver "steals" */
};

static struct iommu_group *default_group;

static void device_initialize(struct device *dev, const char *name, struct bus_type *bus)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&dev->mutex, &a);
	lockdep_set_novalidate_class(&dev->mutex); /* as drivers/base/core.c */
	dev->name = name;
	dev->bus = bus;
}

static int device_lock(struct device *dev) { return pthread_mutex_lock(&dev->mutex); }
static void device_unlock(struct device *dev) { pthread_mutex_unlock(&dev->mutex); }
static void device_lock_assert(struct device *dev) { lockdep_assert_held(&dev->mutex); }

/* ---- drivers/iommu ---- */

/* Since "iommu: Complete the locking for dev->iommu_group" the group is
 * set under the device lock. Seed 000's debugging assertion comes first. */
static int iommu_group_add_device(struct iommu_group *group, struct device *dev)
{
	lockdep_assert_not_held(&dev->mutex);
	int r = device_lock(dev);
	if (r == EDEADLK) {
		fprintf(stderr, "iommu_group_add_device: %s: self-deadlock on &dev->mutex\n", dev->name);
		return -r;
	}
	pthread_mutex_lock(&group->mutex);
	dev->iommu_group = group;
	group->ndevices++;
	pthread_mutex_unlock(&group->mutex);
	device_unlock(dev);
	return 0;
}

/* Seed 003: not concurrent with itself, guarded by the device lock. */
static int __iommu_probe_device(struct device *dev)
{
	device_lock_assert(dev);
	if (!dev->iommu_group) {
		pthread_mutex_lock(&default_group->mutex);
		dev->iommu_group = default_group;
		default_group->ndevices++;
		pthread_mutex_unlock(&default_group->mutex);
	}
	return 0;
}

static int iommu_probe_device(struct device *dev) { return __iommu_probe_device(dev); }
static int of_iommu_configure(struct device *dev) { return iommu_probe_device(dev); }

static int of_dma_configure_id(struct device *dev)
{
	dev->dma_configured = true;
	return of_iommu_configure(dev);
}

static int of_dma_configure(struct device *dev) { return of_dma_configure_id(dev); }
static int platform_dma_configure(struct device *dev) { return of_dma_configure(dev); }

/* ---- drivers/base/dd.c: probing runs under the device lock ---- */

static int really_probe(struct device *dev, struct device_driver *drv)
{
	if (dev->bus && dev->bus->dma_configure)
		dev->bus->dma_configure(dev);
	dev->driver = drv;
	return drv->probe(dev);
}

static int device_driver_attach(struct device_driver *drv, struct device *dev)
{
	device_lock(dev);
	int r = really_probe(dev, drv);
	device_unlock(dev);
	return r;
}

static int __driver_attach(struct device *dev, void *drv) { return device_driver_attach(drv, dev); }

/* ---- seed 000: vfio-ccw mediated device creation ---- */

struct mdev_parent {
	pthread_rwlock_t unreg_sem;
};

static int vfio_device_set_group(struct device *dev) { return iommu_group_add_device(default_group, dev); }
static int vfio_register_emulated_iommu_dev(struct device *dev) { return vfio_device_set_group(dev); }
static int vfio_ccw_mdev_probe(struct device *dev) { return vfio_register_emulated_iommu_dev(dev); }

static struct device_driver vfio_ccw_mdev_driver = { "vfio_ccw_mdev", vfio_ccw_mdev_probe };
static struct bus_type mdev_bus_type = { "mdev", NULL };

static int mdev_device_create(struct mdev_parent *parent, struct device *mdev)
{
	pthread_rwlock_rdlock(&parent->unreg_sem);
	device_initialize(mdev, "mdev0", &mdev_bus_type);
	int r = device_driver_attach(&vfio_ccw_mdev_driver, mdev);
	pthread_rwlock_unlock(&parent->unreg_sem);
	return r;
}

/* sysfs: echo $uuid > .../mdev_supported_types/.../create */
struct kernfs_open_file {
	pthread_mutex_t mutex;
};

static int create_store(struct mdev_parent *parent, struct device *mdev) { return mdev_device_create(parent, mdev); }

static int kernfs_fop_write_iter(struct kernfs_open_file *of, struct mdev_parent *parent, struct device *mdev)
{
	pthread_mutex_lock(&of->mutex);
	int r = create_store(parent, mdev);
	pthread_mutex_unlock(&of->mutex);
	return r;
}

static void *python_write(void *arg)
{
	(void)arg;
	struct kernfs_open_file *of = calloc(1, sizeof *of);
	struct mdev_parent *parent = calloc(1, sizeof *parent);
	struct device *mdev = calloc(1, sizeof *mdev);
	mutex_init(&of->mutex);
	init_rwsem(&parent->unreg_sem);
	int r = kernfs_fop_write_iter(of, parent, mdev);
	printf("mdev create: %d (group %s)\n", r, mdev->iommu_group ? "set" : "not set");
	return NULL;
}

/* ---- seed 003: the bus probe path, and a driver that steals a device ---- */

static struct bus_type platform_bus_type = { "platform", platform_dma_configure };
static struct bus_type i2c_bus_type = { "i2c", NULL };

static int gpu_probe(struct device *dev)
{
	(void)dev;
	return 0;
}

static struct device_driver gpu_driver = { "adreno", gpu_probe };

/* msm: the GMU is a second platform device the GPU driver configures for
 * DMA by hand, without binding a driver to it (and without its lock). */
static int a6xx_gmu_init(struct device *gmu)
{
	return of_dma_configure(gmu);
}

static int lt9611uxc_probe(struct device *dev)
{
	/* ... dsi attach, component bind, adreno_bind, a6xx_gpu_init ... */
	return a6xx_gmu_init(dev->companion);
}

static struct device_driver lt9611uxc_driver = { "lt9611uxc", lt9611uxc_probe };

static void *deferred_probe_work_func(void *arg)
{
	(void)arg;
	struct device *gpu = calloc(1, sizeof *gpu), *bridge = calloc(1, sizeof *bridge);
	struct device *gmu = calloc(1, sizeof *gmu);
	device_initialize(gpu, "5000000.gpu", &platform_bus_type);
	device_initialize(bridge, "lt9611uxc", &i2c_bus_type);
	device_initialize(gmu, "506a000.gmu", &platform_bus_type);
	bridge->companion = gmu;
	/* correct: the bus configures DMA in really_probe(), under the lock */
	__driver_attach(gpu, &gpu_driver);
	/* wrong: gmu configured from inside another device's probe */
	__driver_attach(bridge, &lt9611uxc_driver);
	printf("gpu dma %d, gmu dma %d\n", gpu->dma_configured, gmu->dma_configured);
	return NULL;
}

struct named {
	void *(*fn)(void *);
	const char *name;
};

static void *named_start(void *arg)
{
	struct named *n = arg;
	pthread_setname_np(pthread_self(), n->name); /* "python/<tid>" in reports */
	return n->fn(NULL);
}

static void run_thread(void *(*fn)(void *), const char *name)
{
	struct named n = { fn, name };
	pthread_t t;
	if (pthread_create(&t, NULL, named_start, &n) == 0)
		pthread_join(t, NULL);
}

static void device_model_init(void)
{
	default_group = calloc(1, sizeof *default_group);
	mutex_init(&default_group->mutex);
}

#ifndef SEED_DEVICE_MODEL_NO_MAIN
int main(void)
{
	device_model_init();
	run_thread(python_write, "python");                    /* seed 000 */
	run_thread(deferred_probe_work_func, "kworker/u8:1"); /* seed 003 */
	return 0;
}
#endif
#endif
