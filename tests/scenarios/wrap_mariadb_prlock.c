/* mariadb's pattern: rw_pr_init() makes the mutex of a prlock, reached
 * from mysql_prlock_init() (inline_mysql_prlock_init at -O0) for every
 * global: LOCK_system_variables_hash, LOCK_grant... Keyed by the init call
 * in rw_pr_init they were one class, named after the first global seen:
 *     LOCK_grant -> LOCK_open   and   LOCK_open -> LOCK_sysvars
 * read as a cycle "LOCK_grant -> LOCK_open -> LOCK_grant". rw_pr_init and
 * inline_mysql_prlock_init are detected by name, so each global has its
 * class and its name. A real inversion LOCK_status <-> LOCK_open is
 * reported with both names. */
// expect: circular LOCK_status LOCK_open
// stderr: (LOCK_status){
#include "scenario.h"

typedef struct st_rw_pr_lock_t {
	pthread_mutex_t lock;
	pthread_cond_t no_active_readers;
	unsigned active_readers;
	unsigned writers_waiting_readers;
	int active_writer;
} rw_pr_lock_t;

static int rw_pr_init(rw_pr_lock_t *rwlock)
{
	pthread_mutex_init(&rwlock->lock, NULL);
	pthread_cond_init(&rwlock->no_active_readers, NULL);
	rwlock->active_readers = 0;
	rwlock->writers_waiting_readers = 0;
	rwlock->active_writer = 0;
	return 0;
}

static inline int inline_mysql_prlock_init(unsigned key, rw_pr_lock_t *that)
{
	(void)key;
	return rw_pr_init(that);
}
#define mysql_prlock_init(K, T) inline_mysql_prlock_init(K, T)

static void rw_pr_wrlock(rw_pr_lock_t *l) { CHECK(L(&l->lock) == 0); }
static void rw_pr_unlock(rw_pr_lock_t *l) { CHECK(U(&l->lock) == 0); }

rw_pr_lock_t LOCK_grant, LOCK_system_variables_hash, LOCK_status;
pthread_mutex_t LOCK_open = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	mysql_prlock_init(1, &LOCK_grant);
	mysql_prlock_init(2, &LOCK_system_variables_hash);
	mysql_prlock_init(3, &LOCK_status);
	rw_pr_wrlock(&LOCK_grant);
	L(&LOCK_open);
	U(&LOCK_open);
	rw_pr_unlock(&LOCK_grant);
	L(&LOCK_open);
	rw_pr_wrlock(&LOCK_system_variables_hash);
	rw_pr_unlock(&LOCK_system_variables_hash);
	U(&LOCK_open);
	/* the real one */
	rw_pr_wrlock(&LOCK_status);
	L(&LOCK_open);
	U(&LOCK_open);
	rw_pr_unlock(&LOCK_status);
	L(&LOCK_open);
	rw_pr_wrlock(&LOCK_status);
	rw_pr_unlock(&LOCK_status);
	U(&LOCK_open);
	return 0;
}
