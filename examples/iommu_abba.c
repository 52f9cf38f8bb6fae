/* Seed 002 in userspace: the intel-iommu ABBA between device_domain_lock
 * and iommu->lock (Linux 5.2-rc5). dmar_insert_one_dev_info() takes the
 * iommu lock, then device_domain_lock; domain_context_mapping_one() takes
 * them the other way round. The two paths run one after the other on two
 * threads and never collide, yet ulockdep reports the inversion. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct intel_iommu {
	pthread_mutex_t lock;
	int seq_id;
};

struct device_domain_info {
	struct intel_iommu *iommu;
	int bus, devfn;
};

static pthread_mutex_t device_domain_lock = PTHREAD_MUTEX_INITIALIZER;
static int context_entries;

static struct intel_iommu *iommu_alloc(int id)
{
	struct intel_iommu *iommu = calloc(1, sizeof *iommu);
	pthread_mutex_init(&iommu->lock, NULL);
	iommu->seq_id = id;
	return iommu;
}

/* lock order: iommu->lock -> device_domain_lock */
static void dmar_insert_one_dev_info(struct device_domain_info *info)
{
	pthread_mutex_lock(&info->iommu->lock);
	pthread_mutex_lock(&device_domain_lock);
	context_entries++;
	pthread_mutex_unlock(&device_domain_lock);
	pthread_mutex_unlock(&info->iommu->lock);
}

/* lock order: device_domain_lock -> iommu->lock (the inversion) */
static void domain_context_mapping_one(struct device_domain_info *info)
{
	pthread_mutex_lock(&device_domain_lock);
	pthread_mutex_lock(&info->iommu->lock);
	context_entries++;
	pthread_mutex_unlock(&info->iommu->lock);
	pthread_mutex_unlock(&device_domain_lock);
}

static void *probe_thread(void *arg)
{
	dmar_insert_one_dev_info(arg);
	return NULL;
}

static void *mapping_thread(void *arg)
{
	domain_context_mapping_one(arg);
	return NULL;
}

int main(void)
{
	struct device_domain_info info = { iommu_alloc(0), 0, 8 };
	pthread_t a, b;
	pthread_create(&a, NULL, probe_thread, &info);
	pthread_join(a, NULL); /* the paths never overlap in time */
	pthread_create(&b, NULL, mapping_thread, &info);
	pthread_join(b, NULL);
	printf("context entries: %d\n", context_entries);
	pthread_mutex_destroy(&info.iommu->lock);
	free(info.iommu);
	return 0;
}
