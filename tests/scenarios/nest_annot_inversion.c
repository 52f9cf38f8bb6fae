/* A real inversion hidden behind subclasses. Directory locks are one
 * class D (init site dir_new). The normal path locks the parent, then the
 * child as subclass 1: D -> D/1. A buggy path locks a child first,
 * annotated as subclass 1, and then its parent as plain D: D/1 -> D. With
 * two threads on the two paths over the same parent/child pair, each
 * holds one lock and waits for the other: a circular report between D and
 * D/1, the subclass printed as "/1". */
// expect: circular dir_new /1
// stderr: /1)
#include <ulockdep.h>

#include "scenario.h"

struct dir {
	pthread_mutex_t lock;
	struct dir *parent;
};

static struct dir *dir_new(struct dir *parent)
{
	struct dir *d = calloc(1, sizeof *d);
	CHECK(d != NULL);
	CHECK(pthread_mutex_init(&d->lock, NULL) == 0);
	d->parent = parent;
	return d;
}

static void *parent_then_child(void *arg)
{
	struct dir *child = arg;
	CHECK(L(&child->parent->lock) == 0);
	CHECK(ulockdep_mutex_lock_nested(&child->lock, 1) == 0);
	CHECK(U(&child->lock) == 0);
	CHECK(U(&child->parent->lock) == 0);
	return NULL;
}

static void *child_then_parent(void *arg)
{
	struct dir *child = arg;
	CHECK(ulockdep_mutex_lock_nested(&child->lock, 1) == 0);
	CHECK(L(&child->parent->lock) == 0);
	CHECK(U(&child->parent->lock) == 0);
	CHECK(U(&child->lock) == 0);
	return NULL;
}

int main(void)
{
	struct dir *root = dir_new(NULL);
	struct dir *sub = dir_new(root);
	on_thread(parent_then_child, sub);
	on_thread(child_then_parent, sub);
	return 0;
}
