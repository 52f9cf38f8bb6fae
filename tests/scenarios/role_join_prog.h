/* The program of role_join_first_use.c and role_join_off.c. */
#include "scenario.h"

struct session {
	pthread_mutex_t m; /* never initialised: all zero is PTHREAD_MUTEX_INITIALIZER */
	int id;
	long bytes;
};

__attribute__((noinline)) static struct session *open_session(int id)
{
	struct session *s = calloc(1, sizeof *s);
	CHECK(s);
	s->id = id;
	L(&s->m); /* first taken here */
	s->bytes = 100;
	U(&s->m);
	return s;
}

__attribute__((noinline)) static void splice(struct session *a, struct session *b)
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
	struct session *s1 = open_session(1), *s3 = open_session(3);
	struct session *s2 = calloc(1, sizeof *s2);
	CHECK(s2);
	s2->id = 2;
	splice(s1, s2); /* open_session class -> splice class */
	splice(s2, s3); /* splice class -> open_session class */
	CHECK(s1->bytes + s2->bytes + s3->bytes == 200);
	return 0;
}
