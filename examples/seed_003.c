/* Seed 003 (lore: "iommu: Remove the device_lock_assert() from
 * __iommu_probe_device()", Linux 6.5-rc7, Jason Gunthorpe): an assertion
 * that the device lock is held fires in drivers that call
 * of_dma_configure() outside their bus's dma_configure. The bus probe
 * path (really_probe() under device_lock()) passes the assertion; the
 * lt9611uxc bridge's probe reaches a6xx_gmu_init(), which configures the
 * GMU, a device nobody probed and whose lock nobody holds: one "assert"
 * report in __iommu_probe_device(), with the bridge's &dev->mutex in the
 * held-lock list. The device core lives in seed_device_model.c.
 *
 * Run: build/ulockdep -- build/examples/seed_003 */
#define SEED_DEVICE_MODEL_NO_MAIN
#include "seed_device_model.c"

int main(void)
{
	device_model_init();
	run_thread(deferred_probe_work_func, "kworker/u8:1");
	return 0;
}
