/* <ulockdep/lockdep.h> mutex_lock_nested(), down_write_nested(),
 * down_read_nested() with SINGLE_DEPTH_NESTING. Directory mutexes (one
 * class, dir_alloc): parent then child nested is silent. Writer-preferring
 * rwlocks standing in for rw_semaphores (one class, sem_alloc): write the
 * parent, write the child nested; then read the child nested and write its
 * parent: a strong cycle between sem_alloc and sem_alloc/1, reported. Each
 * call locks and returns 0. */
// expect: circular sem_alloc /1
#include "scenario.h"

#include <errno.h>
#include <ulockdep/lockdep.h>

struct dir {
	pthread_mutex_t i_mutex;
};

struct sem {
	pthread_rwlock_t rw;
};

static struct dir *dir_alloc(void)
{
	struct dir *d = calloc(1, sizeof *d);
	CHECK(d && pthread_mutex_init(&d->i_mutex, NULL) == 0);
	return d;
}

static struct sem *sem_alloc(void)
{
	pthread_rwlockattr_t a;
	pthread_rwlockattr_init(&a);
	pthread_rwlockattr_setkind_np(&a, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	struct sem *s = calloc(1, sizeof *s);
	CHECK(s && pthread_rwlock_init(&s->rw, &a) == 0);
	return s;
}

int main(void)
{
	struct dir *parent = dir_alloc(), *child = dir_alloc();
	CHECK(L(&parent->i_mutex) == 0);
	CHECK(mutex_lock_nested(&child->i_mutex, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_mutex_trylock(&child->i_mutex) == EBUSY);
	CHECK(U(&child->i_mutex) == 0 && U(&parent->i_mutex) == 0);

	struct sem *sp = sem_alloc(), *sc = sem_alloc();
	CHECK(pthread_rwlock_wrlock(&sp->rw) == 0);
	CHECK(down_write_nested(&sc->rw, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_rwlock_tryrdlock(&sc->rw) == EBUSY);
	CHECK(pthread_rwlock_unlock(&sc->rw) == 0 && pthread_rwlock_unlock(&sp->rw) == 0);
	CHECK(down_read_nested(&sc->rw, SINGLE_DEPTH_NESTING) == 0);
	CHECK(pthread_rwlock_trywrlock(&sc->rw) == EBUSY);
	CHECK(pthread_rwlock_wrlock(&sp->rw) == 0);
	CHECK(pthread_rwlock_unlock(&sp->rw) == 0 && pthread_rwlock_unlock(&sc->rw) == 0);
	return 0;
}
