/* ulockdep_set_subclass(): every acquisition of a lock uses the given
 * subclass of the key's class. Inode locks share one key; a child inode's
 * lock is set to subclass 1 once, then plain pthread_mutex_lock() nests it
 * under its parent: inode -> inode/1, silent. A path that takes a child
 * first and then its parent's parent-level lock makes inode/1 -> inode: a
 * cycle between the two subclasses. */
// expect: circular inode_lock
// stderr: (inode_lock/1)
#include "scenario.h"

#include <ulockdep.h>

static struct ulockdep_class_key inode_key;

struct inode {
	pthread_mutex_t lock;
	struct inode *parent;
};

static struct inode *inode_new(struct inode *parent)
{
	struct inode *i = calloc(1, sizeof *i);
	CHECK(i && pthread_mutex_init(&i->lock, NULL) == 0);
	i->parent = parent;
	ulockdep_set_subclass(&i->lock, &inode_key, "inode_lock", parent ? 1 : 0);
	return i;
}

static void *lookup(void *arg)
{
	struct inode *child = arg;
	CHECK(L(&child->parent->lock) == 0);
	CHECK(L(&child->lock) == 0);
	CHECK(U(&child->lock) == 0);
	CHECK(U(&child->parent->lock) == 0);
	return NULL;
}

static void *evict(void *arg)
{
	struct inode *child = arg;
	CHECK(L(&child->lock) == 0);
	CHECK(L(&child->parent->lock) == 0); /* wrong way round */
	CHECK(U(&child->parent->lock) == 0);
	CHECK(U(&child->lock) == 0);
	return NULL;
}

int main(void)
{
	struct inode *root = inode_new(NULL);
	struct inode *a = inode_new(root), *b = inode_new(root);
	on_thread(lookup, a); /* silent on its own */
	on_thread(lookup, b);
	on_thread(evict, b);
	return 0;
}
