/* The init-site walk remembers the frames it found for a site and answers
 * later inits from them. node_setup() makes locks for use_a() many times
 * (the remembered answer: caller use_a), then for use_b(). use_b()'s locks
 * must still be a class of their own: use_a orders its lock -> g, use_b
 * orders g -> its lock, which is a false cycle if use_b's locks were
 * answered as use_a's. The real inversion between use_b's lock and h is
 * found, named with its caller. */
// expect: circular h
// stderr: from use_b
#include "scenario.h"

pthread_mutex_t g = PTHREAD_MUTEX_INITIALIZER, h = PTHREAD_MUTEX_INITIALIZER;
static volatile int made;

static __attribute__((noinline)) void node_setup(pthread_mutex_t *m)
{
	CHECK(pthread_mutex_init(m, NULL) == 0);
	made++;
}

static __attribute__((noinline)) void use_a(void)
{
	for (int i = 0; i < 50; i++) {
		pthread_mutex_t *m = malloc(sizeof *m);
		CHECK(m);
		node_setup(m);
		L(m);
		L(&g);
		U(&g);
		U(m);
		pthread_mutex_destroy(m);
		free(m);
	}
}

static __attribute__((noinline)) void use_b(void)
{
	for (int i = 0; i < 50; i++) {
		pthread_mutex_t *m = malloc(sizeof *m);
		CHECK(m);
		node_setup(m);
		L(&g);
		L(m);
		U(m);
		U(&g);
		if (i == 49) { /* the real inversion: m -> h, h -> m */
			L(m);
			L(&h);
			U(&h);
			U(m);
			L(&h);
			L(m);
			U(m);
			U(&h);
		}
		pthread_mutex_destroy(m);
		free(m);
	}
}

int main(void)
{
	use_a();
	use_b();
	CHECK(made == 100);
	return 0;
}
