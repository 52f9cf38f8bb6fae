/* Without the runtime, a program built against <ulockdep.h> and
 * <ulockdep/lockdep.h> runs unchanged and silently: the API symbols are
 * weak and absent, every call is a no-op, and the nested-lock calls still
 * lock. The scenario re-executes itself with LD_PRELOAD and
 * ULOCKDEP_OPTIONS removed; the child makes every call, including failing
 * assertions and an ABBA, and must exit 0 with empty output. Under the
 * runtime (this process) the same failing assertion is reported. */
// expect: assert api_lock
#include "scenario.h"

#include <errno.h>
#include <sys/wait.h>
#include <ulockdep.h>
#include <ulockdep/lockdep.h>

pthread_mutex_t api_lock = PTHREAD_MUTEX_INITIALIZER, other_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_rwlock_t api_rw = PTHREAD_RWLOCK_INITIALIZER;
static struct ulockdep_class_key key;
static struct lock_class_key kkey;
static struct ulockdep_map map = ULOCKDEP_MAP_INIT("api_map");
static struct lockdep_map kmap = STATIC_LOCKDEP_MAP_INIT("api_kmap", &kkey);

static int runtime_mapped(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	CHECK(f != NULL);
	char line[512];
	int found = 0;
	while (fgets(line, sizeof line, f))
		found |= strstr(line, "libulockdep") != NULL;
	fclose(f);
	return found;
}

static void child(void)
{
	CHECK(!runtime_mapped() && getenv("LD_PRELOAD") == NULL);
	CHECK(ulockdep_active() == 0);
	/* <ulockdep.h> */
	ulockdep_assert_held(&api_lock);
	CHECK(L(&api_lock) == 0);
	ulockdep_assert_not_held(&api_lock);
	ulockdep_assert_none_held();
	ulockdep_assert_held_read(&api_lock);
	CHECK(U(&api_lock) == 0);
	ulockdep_assert_held_write(&api_rw);
	ulockdep_set_class(&api_lock, &key, "api_class");
	ulockdep_set_name(&other_lock, "other");
	ulockdep_set_subclass(&other_lock, &key, "api_class", 1);
	ulockdep_set_novalidate(&other_lock);
	CHECK(ulockdep_mutex_lock_nested(&api_lock, 1) == 0);
	CHECK(pthread_mutex_trylock(&api_lock) == EBUSY); /* really locked */
	CHECK(U(&api_lock) == 0);
	CHECK(ulockdep_rwlock_wrlock_nested(&api_rw, 1) == 0);
	CHECK(pthread_rwlock_tryrdlock(&api_rw) == EBUSY);
	CHECK(pthread_rwlock_unlock(&api_rw) == 0);
	CHECK(ulockdep_rwlock_rdlock_nested(&api_rw, 1) == 0);
	CHECK(pthread_rwlock_trywrlock(&api_rw) == EBUSY);
	CHECK(pthread_rwlock_unlock(&api_rw) == 0);
	ulockdep_off();
	ulockdep_on();
	ulockdep_might_lock(&api_lock);
	ulockdep_might_lock_read(&api_rw);
	ulockdep_map_init(&map, "api_map", &key);
	ulockdep_map_acquire(&map);
	ulockdep_map_acquire_read(&map);
	ulockdep_map_acquire_try(&map);
	ulockdep_map_release(&map);
	ulockdep_map_release(&map);
	ulockdep_map_release(&map);
	ulockdep_map_release(&map); /* unbalanced: no-op */
	ulockdep_context_enter(40);
	ulockdep_context_exit(40);
	ulockdep_show_held_locks();
	/* an ABBA: nobody reports it */
	CHECK(L(&api_lock) == 0 && L(&other_lock) == 0 && U(&other_lock) == 0 && U(&api_lock) == 0);
	CHECK(L(&other_lock) == 0 && L(&api_lock) == 0 && U(&api_lock) == 0 && U(&other_lock) == 0);
	/* <ulockdep/lockdep.h> */
	lockdep_assert_held(&api_lock);
	lockdep_assert_held_once(&api_lock);
	lockdep_assert_held_read(&api_rw);
	lockdep_assert_held_write(&api_rw);
	CHECK(L(&api_lock) == 0);
	lockdep_assert_not_held(&api_lock);
	lockdep_assert_none_held_once();
	debug_check_no_locks_held();
	CHECK(lockdep_is_held(&other_lock));
	CHECK(U(&api_lock) == 0);
	lockdep_set_class(&api_lock, &kkey);
	lockdep_set_class_and_name(&api_lock, &kkey, "k");
	lockdep_set_class_and_subclass(&api_lock, &kkey, 1);
	lockdep_set_subclass(&api_lock, 1);
	lockdep_set_novalidate_class(&api_lock);
	CHECK(mutex_lock_nested(&api_lock, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_mutex_trylock(&api_lock) == EBUSY);
	CHECK(U(&api_lock) == 0);
	CHECK(down_write_nested(&api_rw, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_rwlock_unlock(&api_rw) == 0);
	CHECK(down_read_nested(&api_rw, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_rwlock_unlock(&api_rw) == 0);
	lockdep_off();
	lockdep_on();
	might_lock(&api_lock);
	might_lock_read(&api_rw);
	struct lockdep_map dyn;
	lockdep_init_map(&dyn, "dyn", &kkey, 0);
	CHECK(dyn.key == &kkey && !strcmp(dyn.name, "dyn"));
	lock_map_acquire(&kmap);
	lock_map_acquire_read(&dyn);
	lock_map_acquire_try(&kmap);
	lock_map_acquire_tryread(&dyn);
	lock_map_release(&dyn);
	lock_map_release(&kmap);
	lock_map_release(&dyn);
	lock_map_release(&kmap);
	lock_acquire(&dyn, 0, 0, 1, 1, NULL, _RET_IP_);
	lock_release(&dyn, _THIS_IP_);
	mutex_acquire(&dyn, 0, 0, _RET_IP_);
	mutex_release(&dyn, _RET_IP_);
	lockdep_register_key(&kkey);
	lockdep_unregister_key(&kkey);
	debug_show_all_locks();
	debug_show_held_locks(NULL);
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "child")) {
		child();
		return 0;
	}
	CHECK(ulockdep_active() == 1 && runtime_mapped());
	ulockdep_assert_held(&api_lock); /* reported here, silent in the child */

	int out[2];
	CHECK(pipe(out) == 0);
	pid_t pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		unsetenv("LD_PRELOAD");
		unsetenv("ULOCKDEP_OPTIONS");
		dup2(out[1], 1);
		dup2(out[1], 2);
		close(out[0]);
		close(out[1]);
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		_exit(127);
	}
	close(out[1]);
	char buf[4096];
	size_t total = 0;
	ssize_t n;
	while ((n = read(out[0], buf + total, sizeof buf - 1 - total)) > 0 && total < sizeof buf - 1)
		total += (size_t)n;
	buf[total] = 0;
	int st;
	CHECK(waitpid(pid, &st, 0) == pid);
	if (total)
		fprintf(stderr, "child output:\n%s\n", buf);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(total == 0);
	return 0;
}
