/* Destroying a lock the thread holds. */
// expect: held_freed table_lock
#include "scenario.h"

pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	L(&table_lock);
	pthread_mutex_destroy(&table_lock); /* EBUSY from glibc, reported by us */
	U(&table_lock);
	return 0;
}
