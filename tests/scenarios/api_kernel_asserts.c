/* <ulockdep/lockdep.h> assertions, written as in the kernel: each one
 * passes on a correct path and fails (an "assert" report) on a wrong one.
 * lockdep_is_held() answers for the calling thread. */
// expect: 2x assert sb_mutex
// expect: assert sb_mutex
// expect: assert s_umount
// expect: assert s_umount
// expect: 2x assert
// stderr: failed ulockdep_assert_not_held() at:
// stderr: failed ulockdep_assert_held_read() at:
// stderr: failed ulockdep_assert_held_write() at:
// stderr: failed ulockdep_assert_none_held() at:
#include "scenario.h"

#include <ulockdep/lockdep.h>

pthread_mutex_t sb_mutex = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t s_umount = PTHREAD_RWLOCK_INITIALIZER;

static void sb_sync_locked(void) { lockdep_assert_held(&sb_mutex); }
static void sb_sync_once(void) { lockdep_assert_held_once(&sb_mutex); }
static void sb_lock(void) { lockdep_assert_not_held(&sb_mutex); }
static void sb_read_fs(void) { lockdep_assert_held_read(&s_umount); }
static void sb_remount(void) { lockdep_assert_held_write(&s_umount); }
static void syscall_exit(void) { lockdep_assert_none_held_once(); }
static void task_exit(void) { debug_check_no_locks_held(); }

int main(void)
{
	/* passing */
	CHECK(L(&sb_mutex) == 0);
	sb_sync_locked();
	sb_sync_once();
	CHECK(lockdep_is_held(&sb_mutex));
	CHECK(U(&sb_mutex) == 0);
	sb_lock();
	CHECK(pthread_rwlock_rdlock(&s_umount) == 0);
	sb_read_fs();
	CHECK(pthread_rwlock_unlock(&s_umount) == 0);
	CHECK(pthread_rwlock_wrlock(&s_umount) == 0);
	sb_remount();
	CHECK(pthread_rwlock_unlock(&s_umount) == 0);
	syscall_exit();
	task_exit();

	/* failing */
	sb_sync_locked();
	sb_sync_once();
	CHECK(!lockdep_is_held(&sb_mutex)); /* not held here */
	CHECK(L(&sb_mutex) == 0);
	sb_lock();
	syscall_exit();
	task_exit();
	CHECK(U(&sb_mutex) == 0);
	CHECK(pthread_rwlock_wrlock(&s_umount) == 0);
	sb_read_fs();
	CHECK(pthread_rwlock_unlock(&s_umount) == 0);
	CHECK(pthread_rwlock_rdlock(&s_umount) == 0);
	sb_remount();
	CHECK(pthread_rwlock_unlock(&s_umount) == 0);
	return 0;
}
