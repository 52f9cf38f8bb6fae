/* A second static named table_lock (see db_sites.c). */
#include <pthread.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

pthread_mutex_t *other_table_lock(void)
{
	return &table_lock;
}
