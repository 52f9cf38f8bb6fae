/* Classes of every origin for the --graph-db tests: a heap lock classed by
 * its init site, one classed by its first use, and two statics of the same
 * name in two files. Arguments: "iu"/"ui" take the init-site and first-use
 * locks in that order, "st"/"ts" the two table_locks. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct obj {
	pthread_mutex_t m;
};

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t *other_table_lock(void);

__attribute__((noinline)) static struct obj *make_obj(void)
{
	struct obj *o = malloc(sizeof *o);
	pthread_mutex_init(&o->m, NULL);
	return o;
}

__attribute__((noinline)) static void first_use(pthread_mutex_t *m)
{
	pthread_mutex_lock(m);
	pthread_mutex_unlock(m);
}

static void pair(pthread_mutex_t *x, pthread_mutex_t *y)
{
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}

int main(int argc, char **argv)
{
	struct obj *o = make_obj();
	pthread_mutex_t *u = malloc(sizeof *u);
	memset(u, 0, sizeof *u);
	first_use(u);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "iu"))
			pair(&o->m, u);
		else if (!strcmp(argv[i], "ui"))
			pair(u, &o->m);
		else if (!strcmp(argv[i], "st"))
			pair(&table_lock, other_table_lock());
		else if (!strcmp(argv[i], "ts"))
			pair(other_table_lock(), &table_lock);
	}
	return 0;
}
