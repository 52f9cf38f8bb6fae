/* ulockdep_set_class(): classes by key.
 * Merge: client and server connections are made at two init sites (two
 * classes), but share a key. One thread orders a client connection before
 * registry_lock, another orders registry_lock before a server connection:
 * with the shared class that is a cycle, reported under the given name.
 * Control: the same pattern on two unkeyed locks (two classes) is silent.
 * Split: two sessions from one init site are one class; a NULL key gives
 * one of them a class of its own, so their opposite orders against
 * table_lock make no cycle. */
// expect: circular conn_lock registry_lock
// stderr: (conn_lock)
#include "scenario.h"

#include <ulockdep.h>

pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t audit_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ulockdep_class_key conn_key;

struct conn {
	pthread_mutex_t lock;
	int refs;
};

static struct conn *client_new(int keyed)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && pthread_mutex_init(&c->lock, NULL) == 0);
	if (keyed)
		ulockdep_set_class(&c->lock, &conn_key, "conn_lock");
	return c;
}

static struct conn *server_new(int keyed)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && pthread_mutex_init(&c->lock, NULL) == 0);
	if (keyed)
		ulockdep_set_class(&c->lock, &conn_key, "conn_lock");
	return c;
}

static struct conn *session_new(void)
{
	struct conn *c = calloc(1, sizeof *c);
	CHECK(c && pthread_mutex_init(&c->lock, NULL) == 0);
	return c;
}

int main(void)
{
	/* merge: a cycle through the shared class */
	struct conn *cl = client_new(1), *sv = server_new(1);
	struct pair p1 = { &cl->lock, &registry_lock }, p2 = { &registry_lock, &sv->lock };
	on_thread(ordered, &p1);
	on_thread(ordered, &p2);

	/* control: the same without the key is two classes, no cycle */
	struct conn *cl2 = client_new(0), *sv2 = server_new(0);
	struct pair p3 = { &cl2->lock, &audit_lock }, p4 = { &audit_lock, &sv2->lock };
	on_thread(ordered, &p3);
	on_thread(ordered, &p4);

	/* split: NULL key, the lock's own class */
	struct conn *s1 = session_new(), *s2 = session_new();
	ulockdep_set_class(&s2->lock, NULL, "session_own");
	struct pair p5 = { &s1->lock, &table_lock }, p6 = { &table_lock, &s2->lock };
	on_thread(ordered, &p5);
	on_thread(ordered, &p6);
	return 0;
}
