/* Seed 000 (lore: vfio/mdev, Linux 6.5-rc6, Eric Farman): a self-deadlock
 * on &dev->mutex that lockdep did not report, because the device lock's
 * class is novalidate. mdev_device_create() holds &parent->unreg_sem and
 * attaches the vfio-ccw driver under the device lock; the probe registers
 * the vfio device, vfio_device_set_group() calls iommu_group_add_device(),
 * which takes the device lock again. A lockdep_assert_not_held() added
 * there finds it: one "assert" report whose held-lock list shows
 * &of->mutex, &parent->unreg_sem and &dev->mutex, and no report for the
 * relock itself (novalidate). The device core lives in
 * seed_device_model.c.
 *
 * Run: build/ulockdep -- build/examples/seed_000 */
#define SEED_DEVICE_MODEL_NO_MAIN
#include "seed_device_model.c"

int main(void)
{
	device_model_init();
	run_thread(python_write, "python");
	return 0;
}
