/* Seed 003 as a scenario (examples/seed_003.c): the probe path holds the
 * device lock and passes device_lock_assert(); of_dma_configure() on the
 * GMU from the bridge's probe does not: one assert report. */
// expect: assert &dev->mutex
// stderr: kworker/u8:1/
// stderr: failed ulockdep_assert_held() at:
// stderr: __iommu_probe_device+
// stderr: a6xx_gmu_init+
// stderr: 1 lock held by kworker/u8:1/
// stderr: gpu dma 1, gmu dma 1
#include "../../examples/seed_003.c"
