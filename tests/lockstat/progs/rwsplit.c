/* An rwlock taken for reading and for writing: lock_stat prints separate
 * -R and -W rows. table_lock: READS read, WRITES write acquisitions. */
#include <pthread.h>
#include <stdio.h>

#define READS 300
#define WRITES 70

pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static int table[4];

int main(void)
{
	int sum = 0;
	for (int i = 0; i < READS; i++) {
		pthread_rwlock_rdlock(&table_lock);
		sum += table[i & 3];
		pthread_rwlock_unlock(&table_lock);
	}
	for (int i = 0; i < WRITES; i++) {
		pthread_rwlock_wrlock(&table_lock);
		table[i & 3]++;
		pthread_rwlock_unlock(&table_lock);
	}
	printf("reads %d writes %d sum %d\n", READS, WRITES, sum);
	return 0;
}
