/* Pseudo-locks (ulockdep_map_*): a work item modeled as a lock.
 * The worker "holds" the work map while the work function runs, and the
 * work function takes dev_lock. The driver flushes the work (acquire and
 * release the map: "wait for it to finish") while holding dev_lock: a
 * cycle through the pseudo-lock, reported with its name, without the two
 * ever running at the same time.
 * Passing: a read acquisition of a map may nest in itself (recursive
 * read); a try acquisition gets no incoming edge; both are held meanwhile.
 * Failing: releasing a map not held is a bad unlock. Maps initialised at
 * run time with one key share a class: an order on one counts for both. */
// expect: circular (work_completion)(&dev->reset_work) dev_lock
// expect: bad_unlock rcu_read_map
// expect: circular wq_flush state_lock
// stderr: (work_completion)(&dev->reset_work)
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t dev_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t other_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ulockdep_map reset_work_map = ULOCKDEP_MAP_INIT("(work_completion)(&dev->reset_work)");
static struct ulockdep_map rcu_map = ULOCKDEP_MAP_INIT("rcu_read_map");
static struct ulockdep_class_key wq_key;
static int resets;

static void reset_work_fn(void)
{
	CHECK(L(&dev_lock) == 0);
	resets++;
	CHECK(U(&dev_lock) == 0);
}

static void *worker(void *arg)
{
	(void)arg;
	ulockdep_map_acquire(&reset_work_map);
	reset_work_fn();
	ulockdep_map_release(&reset_work_map);
	return NULL;
}

static void flush_reset_work(void)
{
	ulockdep_map_acquire(&reset_work_map);
	ulockdep_map_release(&reset_work_map);
}

static void *driver(void *arg)
{
	(void)arg;
	CHECK(L(&dev_lock) == 0);
	flush_reset_work();
	CHECK(U(&dev_lock) == 0);
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	ulockdep_map_acquire_read(&rcu_map);
	ulockdep_map_acquire_read(&rcu_map); /* nested read: fine */
	ulockdep_assert_held_read(&rcu_map);
	CHECK(L(&other_lock) == 0);
	ulockdep_map_acquire_try(&reset_work_map); /* no edge into it */
	ulockdep_assert_held(&reset_work_map);
	ulockdep_map_release(&reset_work_map);
	CHECK(U(&other_lock) == 0);
	ulockdep_map_release(&rcu_map);
	ulockdep_map_release(&rcu_map);
	ulockdep_map_release(&rcu_map); /* one too many */
	return NULL;
}

static void *map_order(void *arg)
{
	struct ulockdep_map *m = arg;
	ulockdep_map_acquire(m);
	CHECK(L(&state_lock) == 0);
	CHECK(U(&state_lock) == 0);
	ulockdep_map_release(m);
	return NULL;
}

static void *lock_order(void *arg)
{
	struct ulockdep_map *m = arg;
	CHECK(L(&state_lock) == 0);
	ulockdep_map_acquire(m);
	ulockdep_map_release(m);
	CHECK(U(&state_lock) == 0);
	return NULL;
}

int main(void)
{
	on_thread(worker, NULL);
	on_thread(driver, NULL);
	on_thread(reader, NULL);
	CHECK(L(&other_lock) == 0); /* other_lock -> reset_work would be new */
	CHECK(U(&other_lock) == 0);

	struct ulockdep_map *wq1 = malloc(sizeof *wq1), *wq2 = malloc(sizeof *wq2);
	ulockdep_map_init(wq1, "wq_flush", &wq_key);
	ulockdep_map_init(wq2, "wq_flush", &wq_key);
	on_thread(map_order, wq1);
	on_thread(lock_order, wq2);
	CHECK(resets == 1);
	return 0;
}
