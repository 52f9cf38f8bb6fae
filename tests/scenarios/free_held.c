/* Freeing heap memory that holds a locked mutex. */
// expect: held_freed session_new
// stderr: with a lock still held there!
#include "scenario.h"

struct session {
	int id;
	pthread_mutex_t lock;
};

static struct session *session_new(int id)
{
	struct session *s = malloc(sizeof *s);
	s->id = id;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

int main(void)
{
	struct session *s = session_new(1);
	L(&s->lock);
	free(s);
	return 0;
}
