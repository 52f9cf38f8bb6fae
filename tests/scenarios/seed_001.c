/* Seed 001 as a scenario (examples/seed_001.c): a circular dependency of
 * three classes, two of them read locks (non-recursive readers) and one
 * the cpuhp_state-up pseudo-lock, reported with the chain. */
// expect: circular &(&priv->bus_notifier)->rwsem cpu_hotplug_lock cpuhp_state-up
// stderr: WARNING: possible circular locking dependency detected
// stderr: cpuhp/0/
// stderr: Chain exists of:
// stderr: &(&priv->bus_notifier)->rwsem --> cpu_hotplug_lock --> cpuhp_state-up
// stderr: rlock(&(&priv->bus_notifier)->rwsem);
// stderr: 2 locks held by cpuhp/0/
// stderr: iova instances 1, hwmon devices 1
#include "../../examples/seed_001.c"
