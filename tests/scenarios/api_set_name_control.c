/* A lock name with control characters cannot forge report lines: a
 * newline in a name set with ulockdep_set_name() prints as '?', so the
 * report shows one name, not a line of its own. The named lock and
 * order_lock are taken in both orders: one circular report. */
// expect: circular order_lock
// stderr: (queue?WARNING: forged?)
// stderr: lock(queue?WARNING: forged?);
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t order_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	pthread_mutex_t *q = malloc(sizeof *q);
	CHECK(q && pthread_mutex_init(q, NULL) == 0);
	ulockdep_set_name(q, "queue\nWARNING: forged\r");
	struct pair a = { q, &order_lock }, b = { &order_lock, q };
	on_thread(ordered, &a);
	on_thread(ordered, &b);
	return 0;
}
