/* Seed 000 as a scenario (examples/seed_000.c): the novalidate device
 * lock taken again under itself is silent, the lockdep_assert_not_held()
 * in iommu_group_add_device() reports, listing the locks held. */
// expect: assert &dev->mutex
// stderr: python/
// stderr: failed ulockdep_assert_not_held() at:
// stderr: iommu_group_add_device+
// stderr: 3 locks held by python/
// stderr: (&of->mutex)
// stderr: (&parent->unreg_sem)
// stderr: self-deadlock on &dev->mutex
#include "../../examples/seed_000.c"
