/* Seed 002 as a scenario (examples/iommu_abba.c): the intel-iommu ABBA
 * between device_domain_lock and iommu->lock, two paths that never run at
 * the same time, reported with the two-CPU scenario. */
// expect: circular device_domain_lock iommu_alloc
// stderr: WARNING: possible circular locking dependency detected
// stderr: lock(device_domain_lock);
// stderr: domain_context_mapping_one+
// stderr: dmar_insert_one_dev_info+
// stderr: context entries: 2
#include "../../examples/iommu_abba.c"
