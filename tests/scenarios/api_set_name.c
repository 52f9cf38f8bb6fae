/* ulockdep_set_name(): a lock made by a generic helper gets a readable
 * name, and reports use it. The named queue lock and flush_lock are taken
 * in both orders: a cycle reported as "io_queue_lock". Naming keeps the
 * validation: a correctly ordered named lock stays silent. */
// expect: circular io_queue_lock flush_lock
// stderr: (io_queue_lock)
// stderr: lock(io_queue_lock);
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t flush_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

static pthread_mutex_t *make_lock(const char *name)
{
	pthread_mutex_t *m = malloc(sizeof *m);
	CHECK(m && pthread_mutex_init(m, NULL) == 0);
	ulockdep_set_name(m, name);
	return m;
}

int main(void)
{
	pthread_mutex_t *q = make_lock("io_queue_lock"), *c = make_lock("cache_lock");
	struct pair a = { q, &flush_lock }, b = { &flush_lock, q };
	on_thread(ordered, &a);
	on_thread(ordered, &b);
	struct pair ok1 = { c, &stats_lock }, ok2 = { c, &stats_lock };
	on_thread(ordered, &ok1);
	on_thread(ordered, &ok2);
	return 0;
}
