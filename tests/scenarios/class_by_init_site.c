/* Runtime-initialised locks are classed by init site: an order seen on one
 * object counts for all. Session 1 is locked before the registry, session
 * 2 after it: two different objects, one class, one cycle. */
// expect: circular session_new registry_lock
// stderr: class_by_init_site.c:19)
// stderr: (session_new+0x
#include "scenario.h"

struct session {
	pthread_mutex_t lock;
	int refs;
};

pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;

static struct session *session_new(void)
{
	struct session *s = calloc(1, sizeof *s);
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

static void *expire(void *arg)
{
	struct session *s = arg;
	L(&s->lock);
	L(&registry_lock);
	s->refs--;
	U(&registry_lock);
	U(&s->lock);
	return NULL;
}

static void *lookup(void *arg)
{
	struct session *s = arg;
	L(&registry_lock);
	L(&s->lock);
	s->refs++;
	U(&s->lock);
	U(&registry_lock);
	return NULL;
}

int main(void)
{
	struct session *a = session_new(), *b = session_new();
	on_thread(expire, a);
	on_thread(lookup, b);
	return 0;
}
