/* Two threads run one start routine, made at one place (one thread class), with different
 * jobs: the writer takes table_lock, the reader never does. main joins the
 * writer without the lock, then, once the reader has ended, joins it while
 * holding table_lock: that join cannot block, the reader took nothing main
 * holds. A join of an ended thread depends only on the classes that thread
 * took on its way to the end. Before, the writer's exit -> table_lock and
 * the join under table_lock closed a cycle of the one class. (The bug twin,
 * joining under the lock a thread that took it: wait_join_under_lock.) */
// expect: none
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/syscall.h>

#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static int table, seen;
static atomic_int reader_tid;

static void *job(void *arg)
{
	if (arg) { /* writer */
		L(&table_lock);
		table++;
		U(&table_lock);
	} else {
		seen++;
		atomic_store(&reader_tid, (int)syscall(SYS_gettid));
	}
	return NULL;
}

int main(void)
{
	pthread_t t[2]; /* made at one place: one class */
	for (int i = 0; i < 2; i++)
		CHECK(pthread_create(&t[i], NULL, job, i == 0 ? &table : NULL) == 0);
	pthread_t w = t[0], r = t[1];
	pthread_join(w, NULL);
	/* the reader has ended: its task is gone */
	while (!atomic_load(&reader_tid) || syscall(SYS_tgkill, getpid(), atomic_load(&reader_tid), 0) == 0)
		usleep(1000);
	L(&table_lock);
	pthread_join(r, NULL);
	U(&table_lock);
	CHECK(table == 1 && seen == 1);
	return 0;
}
