/* Nesting annotation (kernel mutex_lock_nested): all directory locks are
 * made at one init site (dir_new), one class D. A child is locked as
 * subclass 1 while its parent is held (D -> D/1), and rename locks two
 * directories under the global rename_lock, the second one as subclass 1,
 * in whatever order the caller names them (the kernel's lock_rename under
 * s_vfs_rename_mutex). Dir a is taken before dir b in one rename and after
 * it in the other; the annotation declares that safe (rename_lock
 * serialises it), and D/1 is a class of its own, so the only orders are
 * rename_lock -> D -> D/1: no report. Without the annotation, instance
 * order would give a <-> b. */
// expect: none
#include <ulockdep.h>

#include "scenario.h"

pthread_mutex_t rename_lock = PTHREAD_MUTEX_INITIALIZER;

struct dir {
	pthread_mutex_t lock;
	struct dir *parent;
	int entries;
};

static struct dir *dir_new(struct dir *parent)
{
	struct dir *d = calloc(1, sizeof *d);
	CHECK(d != NULL);
	CHECK(pthread_mutex_init(&d->lock, NULL) == 0);
	d->parent = parent;
	return d;
}

static struct dir *root, *da, *db;

static void *create_in(void *arg)
{
	struct dir *child = arg;
	CHECK(L(&child->parent->lock) == 0);
	CHECK(ulockdep_mutex_lock_nested(&child->lock, 1) == 0);
	child->parent->entries++;
	child->entries++;
	CHECK(U(&child->lock) == 0);
	CHECK(U(&child->parent->lock) == 0);
	return NULL;
}

struct ren {
	struct dir *from, *to;
};

static void *do_rename(void *arg)
{
	struct ren *r = arg;
	CHECK(L(&rename_lock) == 0);
	CHECK(L(&r->from->lock) == 0);
	CHECK(ulockdep_mutex_lock_nested(&r->to->lock, 1) == 0);
	r->from->entries--;
	r->to->entries++;
	CHECK(U(&r->to->lock) == 0);
	CHECK(U(&r->from->lock) == 0);
	CHECK(U(&rename_lock) == 0);
	return NULL;
}

int main(void)
{
	root = dir_new(NULL);
	da = dir_new(root);
	db = dir_new(root);
	on_thread(create_in, da);
	on_thread(create_in, db);
	struct ren ab = { da, db }, ba = { db, da };
	on_thread(do_rename, &ab);
	on_thread(do_rename, &ba);
	CHECK(root->entries == 2 && da->entries == 1 && db->entries == 1);
	return 0;
}
