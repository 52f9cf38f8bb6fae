/* <ulockdep/lockdep.h> lockdep_set_subclass(lock, sub): as in the kernel,
 * the lock keeps its class (here: its init site, dentry_alloc) and every
 * acquisition uses level 'sub' of it. Parent dentries stay at level 0,
 * children are set to SINGLE_DEPTH_NESTING. Locking a parent then a child
 * is D -> D/1 on one pair; a child then a parent on another pair is
 * D/1 -> D: the same two classes, a cycle. */
// expect: circular dentry_alloc
// stderr: /1)
#include "scenario.h"

#include <ulockdep/lockdep.h>

struct dentry {
	pthread_mutex_t d_lock;
	struct dentry *d_parent;
};

static struct dentry *dentry_alloc(struct dentry *parent)
{
	struct dentry *d = calloc(1, sizeof *d);
	CHECK(d && pthread_mutex_init(&d->d_lock, NULL) == 0);
	d->d_parent = parent;
	return d;
}

static struct dentry *child_alloc(struct dentry *parent)
{
	struct dentry *d = dentry_alloc(parent);
	lockdep_set_subclass(&d->d_lock, SINGLE_DEPTH_NESTING);
	return d;
}

int main(void)
{
	struct dentry *p1 = dentry_alloc(NULL), *c1 = child_alloc(p1);
	struct dentry *p2 = dentry_alloc(NULL), *c2 = child_alloc(p2);
	/* parent -> child: D -> D/1 */
	CHECK(L(&p1->d_lock) == 0 && L(&c1->d_lock) == 0);
	CHECK(U(&c1->d_lock) == 0 && U(&p1->d_lock) == 0);
	/* child -> parent on another pair: D/1 -> D */
	CHECK(L(&c2->d_lock) == 0 && L(&p2->d_lock) == 0);
	CHECK(U(&p2->d_lock) == 0 && U(&c2->d_lock) == 0);
	return 0;
}
