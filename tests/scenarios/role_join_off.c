/* One role made at two init sites: sessions are created by accept_session()
 * and restore_session(), each with its own pthread_mutex_init (as an
 * inlined constructor gives at -O2). splice() always locks the lower id
 * first, so sessions of both sites nest in both orders as classes, never
 * as instances: no deadlock. The one line in splice() that takes locks of
 * both classes shows they are one role, and their nesting is ordered by
 * instance. Without that, "accept_session <-> restore_session" was
 * reported as circular. This twin turns join_roles off: the kernel's view, two init sites are two
 * classes, and the nesting is reported. */
// expect: circular accept_session restore_session
// options: join_roles=0
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
	splice(s1, s2); /* accept -> restore */
	splice(s2, s3); /* restore -> accept */
	CHECK(s1->bytes + s2->bytes + s3->bytes == 100);
	return 0;
}
