/* <ulockdep/lockdep.h> class annotations named as the kernel names them.
 * lockdep_set_class(lock, &conn_key): class "&conn_key" (#key), shared by
 * locks from two init sites: an order on one counts for the other.
 * lockdep_set_class_and_name(): the given name.
 * lockdep_set_class_and_subclass(): the key's class at level 1.
 * lockdep_set_novalidate_class(&dev->mutex): class "&dev->mutex" (#lock),
 * tracked but not validated: its AA and ABBA are silent, an assertion on
 * it fails and names it. */
// expect: circular &conn_key conn_table_lock
// expect: circular journal_lock commit_lock
// expect: circular &inode_key/1 inode_hash_lock
// expect: assert &dev->mutex
// stderr: (&dev->mutex)
#include "scenario.h"

#include <errno.h>
#include <ulockdep/lockdep.h>

pthread_mutex_t conn_table_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t commit_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t inode_hash_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t bus_lock = PTHREAD_MUTEX_INITIALIZER;
static struct lock_class_key conn_key, journal_key, inode_key;

struct obj {
	pthread_mutex_t lock;
};

struct device {
	pthread_mutex_t mutex;
};

static struct obj *client_new(void)
{
	struct obj *o = calloc(1, sizeof *o);
	CHECK(o && pthread_mutex_init(&o->lock, NULL) == 0);
	lockdep_set_class(&o->lock, &conn_key);
	return o;
}

static struct obj *server_new(void)
{
	struct obj *o = calloc(1, sizeof *o);
	CHECK(o && pthread_mutex_init(&o->lock, NULL) == 0);
	lockdep_set_class(&o->lock, &conn_key);
	return o;
}

static struct obj *journal_new(void)
{
	struct obj *o = calloc(1, sizeof *o);
	CHECK(o && pthread_mutex_init(&o->lock, NULL) == 0);
	lockdep_set_class_and_name(&o->lock, &journal_key, "journal_lock");
	return o;
}

static struct obj *inode_new(int sub)
{
	struct obj *o = calloc(1, sizeof *o);
	CHECK(o && pthread_mutex_init(&o->lock, NULL) == 0);
	lockdep_set_class_and_subclass(&o->lock, &inode_key, sub);
	return o;
}

static void device_initialize(struct device *dev)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	CHECK(pthread_mutex_init(&dev->mutex, &a) == 0);
	lockdep_set_novalidate_class(&dev->mutex);
}

static void both_orders(pthread_mutex_t *a1, pthread_mutex_t *b, pthread_mutex_t *a2)
{
	CHECK(L(a1) == 0 && L(b) == 0 && U(b) == 0 && U(a1) == 0);
	CHECK(L(b) == 0 && L(a2) == 0 && U(a2) == 0 && U(b) == 0);
}

int main(void)
{
	struct obj *c = client_new(), *s = server_new();
	both_orders(&c->lock, &conn_table_lock, &s->lock);

	struct obj *j1 = journal_new(), *j2 = journal_new();
	both_orders(&j1->lock, &commit_lock, &j2->lock);

	struct obj *i0 = inode_new(0), *i1 = inode_new(1), *i2 = inode_new(1);
	CHECK(L(&i0->lock) == 0 && L(&i1->lock) == 0 && U(&i1->lock) == 0 && U(&i0->lock) == 0);
	both_orders(&i1->lock, &inode_hash_lock, &i2->lock);

	struct device *dev = calloc(1, sizeof *dev);
	device_initialize(dev);
	CHECK(L(&dev->mutex) == 0);
	CHECK(L(&dev->mutex) == EDEADLK); /* the self-deadlock, unvalidated */
	lockdep_assert_not_held(&dev->mutex);
	CHECK(U(&dev->mutex) == 0);
	both_orders(&dev->mutex, &bus_lock, &dev->mutex);
	return 0;
}
