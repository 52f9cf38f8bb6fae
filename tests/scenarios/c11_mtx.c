/* ISO C11 mtx_* go through glibc without the pthread symbols. */
// expect: circular mtx_a mtx_b
#include <threads.h>

#include "scenario.h"

mtx_t mtx_a, mtx_b;

static int t1(void *arg)
{
	(void)arg;
	mtx_lock(&mtx_a);
	mtx_lock(&mtx_b);
	mtx_unlock(&mtx_b);
	mtx_unlock(&mtx_a);
	return 0;
}

static int t2(void *arg)
{
	(void)arg;
	mtx_lock(&mtx_b);
	mtx_lock(&mtx_a);
	mtx_unlock(&mtx_a);
	mtx_unlock(&mtx_b);
	return 0;
}

int main(void)
{
	/* static storage, runtime init: classed by init site, named by it */
	mtx_init(&mtx_a, mtx_plain);
	mtx_init(&mtx_b, mtx_plain);
	thrd_t a, b;
	thrd_create(&a, t1, NULL);
	thrd_join(a, NULL);
	thrd_create(&b, t2, NULL);
	thrd_join(b, NULL);
	return 0;
}
