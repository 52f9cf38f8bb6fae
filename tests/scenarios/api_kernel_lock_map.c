/* <ulockdep/lockdep.h> pseudo-locks and custom locks, as in the kernel.
 * A static map (STATIC_LOCKDEP_MAP_INIT) for a completion: the waiter
 * holds cfg_lock while waiting, the completer takes cfg_lock before
 * completing: a cycle. A custom lock built on an atomic flag carries its
 * own dep_map (lockdep_init_map) and annotates itself with
 * mutex_acquire()/mutex_release() and _RET_IP_, so reports point at the
 * custom lock's caller; its ABBA with io_lock is reported. Read and try
 * acquisitions of a map (lock_map_acquire_read/_tryread/_try) nest
 * without reports; might_lock() orders without locking;
 * lockdep_off()/lockdep_on() hide an ABBA. */
// expect: circular (completion)&ready io_cfg_lock
// expect: circular bitlock io_lock
// expect: circular io_lock quiet_lock
// stderr: take_bitlock+
// stderr: Showing all locks held in the system:
#include "scenario.h"

#include <stdatomic.h>
#include <ulockdep/lockdep.h>

pthread_mutex_t io_cfg_lock = PTHREAD_MUTEX_INITIALIZER, io_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t quiet_lock = PTHREAD_MUTEX_INITIALIZER, off_a = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t off_b = PTHREAD_MUTEX_INITIALIZER;
static struct lock_class_key ready_key, bit_key, rcu_key;
static struct lockdep_map ready_map = STATIC_LOCKDEP_MAP_INIT("(completion)&ready", &ready_key);
static struct lockdep_map rcu_map = STATIC_LOCKDEP_MAP_INIT("rcu_read_lock", &rcu_key);

struct bitlock {
	atomic_flag flag;
	struct lockdep_map dep_map;
};

static struct bitlock *bitlock_new(void)
{
	struct bitlock *b = calloc(1, sizeof *b);
	CHECK(b != NULL);
	atomic_flag_clear(&b->flag);
	lockdep_init_map(&b->dep_map, "bitlock", &bit_key, 0);
	return b;
}

static __attribute__((noinline)) void bit_lock(struct bitlock *b)
{
	mutex_acquire(&b->dep_map, 0, 0, _RET_IP_);
	while (atomic_flag_test_and_set(&b->flag))
		;
}

static __attribute__((noinline)) void bit_unlock(struct bitlock *b)
{
	mutex_release(&b->dep_map, _RET_IP_);
	atomic_flag_clear(&b->flag);
}

static void take_bitlock(struct bitlock *b, int inverted)
{
	if (inverted) {
		CHECK(L(&io_lock) == 0);
		bit_lock(b);
		bit_unlock(b);
		CHECK(U(&io_lock) == 0);
	} else {
		bit_lock(b);
		CHECK(L(&io_lock) == 0);
		CHECK(U(&io_lock) == 0);
		bit_unlock(b);
	}
}

static void *waiter(void *arg)
{
	(void)arg;
	CHECK(L(&io_cfg_lock) == 0);
	lock_map_acquire(&ready_map); /* wait_for_completion(&ready) */
	lock_map_release(&ready_map);
	CHECK(U(&io_cfg_lock) == 0);
	return NULL;
}

static void *completer(void *arg)
{
	(void)arg;
	lock_map_acquire(&ready_map); /* the work that will complete(&ready) */
	CHECK(L(&io_cfg_lock) == 0);
	CHECK(U(&io_cfg_lock) == 0);
	lock_map_release(&ready_map);
	return NULL;
}

int main(void)
{
	on_thread(waiter, NULL);
	on_thread(completer, NULL);

	struct bitlock *b = bitlock_new();
	take_bitlock(b, 0);
	take_bitlock(b, 1);

	/* nested read and try acquisitions: silent */
	lock_map_acquire_read(&rcu_map);
	lock_map_acquire_read(&rcu_map);
	lock_map_acquire_tryread(&rcu_map);
	CHECK(L(&quiet_lock) == 0);
	lock_map_acquire_try(&ready_map);
	lock_map_release(&ready_map);
	debug_show_all_locks();
	CHECK(U(&quiet_lock) == 0);
	lock_map_release(&rcu_map);
	lock_map_release(&rcu_map);
	lock_map_release(&rcu_map);

	/* might_lock: io_lock -> quiet_lock without taking it, then the reverse */
	CHECK(L(&io_lock) == 0);
	might_lock(&quiet_lock);
	CHECK(U(&io_lock) == 0);
	CHECK(L(&quiet_lock) == 0 && L(&io_lock) == 0 && U(&io_lock) == 0 && U(&quiet_lock) == 0);

	/* hidden */
	lockdep_off();
	CHECK(L(&off_a) == 0 && L(&off_b) == 0 && U(&off_b) == 0 && U(&off_a) == 0);
	CHECK(L(&off_b) == 0 && L(&off_a) == 0 && U(&off_a) == 0 && U(&off_b) == 0);
	lockdep_on();
	return 0;
}
