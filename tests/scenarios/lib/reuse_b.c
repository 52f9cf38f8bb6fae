/* Module B of dlclose_reuse.c: the same layout as module A, so its static
 * lock lands where A's was; taken after the caller's lock. */
#include <pthread.h>
#include <ulockdep.h>

static pthread_mutex_t mod_lock = PTHREAD_MUTEX_INITIALIZER;
static int role_key;

void *lib_lock(void)
{
	return &mod_lock;
}

void lib_run(pthread_mutex_t *g)
{
	pthread_mutex_lock(g);
	pthread_mutex_lock(&mod_lock);
	pthread_mutex_unlock(&mod_lock);
	pthread_mutex_unlock(g);
}

void lib_name(pthread_mutex_t *m)
{
	static char name[] = "lent_by_module_b";
	ulockdep_set_class(m, &role_key, name);
}
