/* The device model for seeds 000 and 003 (examples/seed_device_model.c),
 * all paths in one program: the mdev attach path holds the device lock
 * and the group-add path asserts it is not held (fails); the bus probe
 * path holds it where __iommu_probe_device() asserts it (passes); a driver
 * configuring another device without its lock fails the same assertion.
 * Two reports, nothing else (the device lock is novalidate). */
// expect: assert &dev->mutex
// expect: assert &dev->mutex
// stderr: failed ulockdep_assert_not_held() at:
// stderr: failed ulockdep_assert_held() at:
// stderr: mdev create: -35 (group not set)
#include "../../examples/seed_device_model.c"
