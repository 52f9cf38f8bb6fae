/* Two init sites are two roles, as in the kernel: sessions made by
 * accept_session() and restore_session(), each with its own
 * pthread_mutex_init, and locked in id order by splice(), nest as two
 * classes in both orders: reported. (Locks never initialised join by
 * evidence, role_join_first_use; an init site is a role the program wrote
 * down, and ulockdep_set_class() gives both one class.) */
// expect: circular accept_session restore_session
#include "scenario.h"

struct session {
	pthread_mutex_t m;
	int id;
	long bytes;
};

static struct session *accept_session(int id)
{
	struct session *s = calloc(1, sizeof *s);
	CHECK(s && pthread_mutex_init(&s->m, NULL) == 0);
	s->id = id;
	return s;
}

static struct session *restore_session(int id)
{
	struct session *s = calloc(1, sizeof *s);
	CHECK(s && pthread_mutex_init(&s->m, NULL) == 0);
	s->id = id;
	s->bytes = 100;
	return s;
}

static void splice(struct session *a, struct session *b)
{
	struct session *lo = a->id < b->id ? a : b, *hi = a->id < b->id ? b : a;
	pthread_mutex_lock(&lo->m);
	pthread_mutex_lock(&hi->m);
	a->bytes--;
	b->bytes++;
	pthread_mutex_unlock(&hi->m);
	pthread_mutex_unlock(&lo->m);
}

int main(void)
{
	struct session *s1 = accept_session(1), *s2 = restore_session(2), *s3 = accept_session(3);
	splice(s1, s2);
	splice(s2, s3);
	CHECK(s1->bytes + s2->bytes + s3->bytes == 100);
	return 0;
}
