/* A class made at a generic site (table_setup() fills a global table and
 * heap ones) is named after that site, not after the first global that
 * passed through it: "global_table" would be a lie for the heap tables. */
// expect: circular table_setup index_lock
// stderr: (table_setup+0x
#include "scenario.h"

struct table { pthread_mutex_t lock; int rows; };
struct table global_table;
pthread_mutex_t index_lock = PTHREAD_MUTEX_INITIALIZER;

static void table_setup(struct table *t)
{
	pthread_mutex_init(&t->lock, NULL);
	t->rows = 0;
	for (int i = 0; i < 4; i++)
		t->rows += i;
}

int main(void)
{
	table_setup(&global_table);
	struct table *h1 = malloc(sizeof *h1), *h2 = malloc(sizeof *h2);
	table_setup(h1);
	table_setup(h2);
	struct pair ab = { &h1->lock, &index_lock }, ba = { &index_lock, &h2->lock };
	on_thread(ordered, &ab);
	on_thread(ordered, &ba);
	return 0;
}
