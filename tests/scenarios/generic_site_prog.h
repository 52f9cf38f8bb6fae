/* The program of generic_site_hint and generic_class_depth: unbound's one
 * generic hash table serving two caches. */
#ifndef GENERIC_SITE_PROG_H
#define GENERIC_SITE_PROG_H
#include "scenario.h"

pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

struct lruhash_bin { pthread_mutex_t lock; void *first; };
struct lruhash { size_t size; struct lruhash_bin *array; };

static void bin_init(struct lruhash_bin *array, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		pthread_mutex_init(&array[i].lock, NULL);
		array[i].first = NULL;
	}
}

static struct lruhash *lruhash_create(size_t size)
{
	struct lruhash *t = calloc(1, sizeof *t);
	t->size = size;
	t->array = calloc(size, sizeof *t->array);
	bin_init(t->array, size);
	return t;
}

struct rrset_cache { struct lruhash *table; };
struct infra_cache { struct lruhash *hosts; };

static struct rrset_cache *rrset_cache_create(void)
{
	struct rrset_cache *c = calloc(1, sizeof *c);
	c->table = lruhash_create(4);
	return c;
}

static struct infra_cache *infra_create(void)
{
	struct infra_cache *c = calloc(1, sizeof *c);
	c->hosts = lruhash_create(4);
	return c;
}

int main(void)
{
	struct rrset_cache *r = rrset_cache_create();
	struct infra_cache *inf = infra_create();
	/* rrset bin -> key_lock */
	L(&r->table->array[0].lock);
	L(&key_lock);
	U(&key_lock);
	U(&r->table->array[0].lock);
	/* key_lock -> infra bin */
	L(&key_lock);
	L(&inf->hosts->array[2].lock);
	U(&inf->hosts->array[2].lock);
	U(&key_lock);
	return 0;
}

#endif
