/* ulockdep_mutex_lock_nested(), ulockdep_rwlock_rdlock_nested(),
 * ulockdep_rwlock_wrlock_nested(): one acquisition with a nesting level.
 * Mutexes (one class, mnode_new): parent then child at level 1 is silent
 * (mnode -> mnode/1); a path that takes a child at level 1 and then its
 * parent (mnode/1 -> mnode) makes a cycle, reported. Writer-preferring
 * rwlocks (non-recursive readers), one class "rwnode": write parent, then
 * write child at level 1 (rwnode -> rwnode/1); a reader takes a child at
 * level 1, then write-locks its parent (rwnode/1 -> rwnode): a strong
 * cycle, reported. Default rwlocks (recursive readers), class "rtree":
 * read parent, read child at level 1, and the reverse order with reads
 * only, is no deadlock (a recursive reader never waits for readers):
 * silent. Each call returns 0 with the lock held. */
// expect: circular rwnode_new /1
// expect: circular mnode_new /1
#include "scenario.h"

#include <ulockdep.h>

struct mnode {
	pthread_mutex_t lock;
	struct mnode *parent;
};

struct rnode {
	pthread_rwlock_t lock;
	struct rnode *parent;
};

static struct mnode *mnode_new(struct mnode *parent)
{
	struct mnode *n = calloc(1, sizeof *n);
	CHECK(n && pthread_mutex_init(&n->lock, NULL) == 0);
	n->parent = parent;
	return n;
}

static struct rnode *rwnode_new(struct rnode *parent)
{
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	struct rnode *n = calloc(1, sizeof *n);
	CHECK(n && pthread_rwlock_init(&n->lock, &a) == 0);
	n->parent = parent;
	return n;
}

static struct rnode *rtree_new(struct rnode *parent)
{
	struct rnode *n = calloc(1, sizeof *n);
	CHECK(n && pthread_rwlock_init(&n->lock, NULL) == 0);
	n->parent = parent;
	return n;
}

static void *mutex_path(void *arg)
{
	struct mnode *c = arg;
	CHECK(L(&c->parent->lock) == 0);
	CHECK(ulockdep_mutex_lock_nested(&c->lock, 1) == 0);
	CHECK(pthread_mutex_trylock(&c->lock) != 0); /* really held */
	ulockdep_assert_held(&c->lock);
	CHECK(U(&c->lock) == 0);
	CHECK(U(&c->parent->lock) == 0);
	return NULL;
}

static void *mutex_child_then_parent(void *arg)
{
	struct mnode *c = arg;
	CHECK(ulockdep_mutex_lock_nested(&c->lock, 1) == 0);
	CHECK(L(&c->parent->lock) == 0);
	CHECK(U(&c->parent->lock) == 0);
	CHECK(U(&c->lock) == 0);
	return NULL;
}

static void *writer_path(void *arg)
{
	struct rnode *c = arg;
	CHECK(pthread_rwlock_wrlock(&c->parent->lock) == 0);
	CHECK(ulockdep_rwlock_wrlock_nested(&c->lock, 1) == 0);
	ulockdep_assert_held_write(&c->lock);
	CHECK(pthread_rwlock_unlock(&c->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->parent->lock) == 0);
	return NULL;
}

static void *reader_then_parent(void *arg)
{
	struct rnode *c = arg;
	CHECK(ulockdep_rwlock_rdlock_nested(&c->lock, 1) == 0);
	ulockdep_assert_held_read(&c->lock);
	CHECK(pthread_rwlock_wrlock(&c->parent->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->parent->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->lock) == 0);
	return NULL;
}

static void *reads_down(void *arg)
{
	struct rnode *c = arg;
	CHECK(pthread_rwlock_rdlock(&c->parent->lock) == 0);
	CHECK(ulockdep_rwlock_rdlock_nested(&c->lock, 1) == 0);
	CHECK(pthread_rwlock_unlock(&c->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->parent->lock) == 0);
	return NULL;
}

static void *reads_up(void *arg)
{
	struct rnode *c = arg;
	CHECK(ulockdep_rwlock_rdlock_nested(&c->lock, 1) == 0);
	CHECK(pthread_rwlock_rdlock(&c->parent->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->parent->lock) == 0);
	CHECK(pthread_rwlock_unlock(&c->lock) == 0);
	return NULL;
}

int main(void)
{
	struct mnode *mroot = mnode_new(NULL), *mchild = mnode_new(mroot);
	on_thread(mutex_path, mchild);
	on_thread(mutex_child_then_parent, mchild);

	struct rnode *wroot = rwnode_new(NULL), *wchild = rwnode_new(wroot);
	on_thread(writer_path, wchild);
	on_thread(reader_then_parent, wchild);

	struct rnode *rroot = rtree_new(NULL), *rchild = rtree_new(rroot);
	on_thread(reads_down, rchild);
	on_thread(reads_up, rchild);
	return 0;
}
