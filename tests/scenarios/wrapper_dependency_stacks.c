/* Every dependency of a cycle shows its own stack, also when all locks go
 * through one wrapper (lk_take) and are one class (made by lk_create):
 * reload() orders cfg -> db, query() db -> shard -> cache, evict() cache ->
 * cfg. Before, instance dependencies reused the first stack seen at the
 * wrapper's call site, and every step printed reload(). */
// expect: circular lk_create
// stderr: query+
// stderr: reload+
#include "scenario.h"

typedef struct lk {
	pthread_mutex_t m;
	const char *name;
} lk_t;

__attribute__((noinline)) static lk_t *lk_create(const char *name)
{
	lk_t *l = calloc(1, sizeof *l);
	CHECK(l && pthread_mutex_init(&l->m, NULL) == 0);
	l->name = name;
	return l;
}

__attribute__((noinline)) static void lk_take(lk_t *l) { CHECK(pthread_mutex_lock(&l->m) == 0); }
__attribute__((noinline)) static void lk_give(lk_t *l) { CHECK(pthread_mutex_unlock(&l->m) == 0); }

static lk_t *cfg, *db, *cache, *shard;

__attribute__((noinline)) static void reload(void)
{
	lk_take(cfg);
	lk_take(db);
	lk_give(db);
	lk_give(cfg);
}

__attribute__((noinline)) static void query(void)
{
	lk_take(db);
	lk_take(shard);
	lk_take(cache);
	lk_give(cache);
	lk_give(shard);
	lk_give(db);
}

__attribute__((noinline)) static void evict(void)
{
	lk_take(cache);
	lk_take(cfg);
	lk_give(cfg);
	lk_give(cache);
}

int main(void)
{
	cfg = lk_create("cfg");
	db = lk_create("db");
	cache = lk_create("cache");
	shard = lk_create("shard");
	reload();
	query();
	evict();
	return 0;
}
