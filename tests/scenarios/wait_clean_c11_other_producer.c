/* Clean, the C11 spelling of wait_clean_other_producer_wakes: cnd_wait
 * under outer_lock is woken by a signaller without outer_lock; the later
 * cnd_broadcast after taking outer_lock is not what main waits for.
 * Before the evidence rule this reported wait outer_lock data_ready. */
// expect: none
#include <threads.h>

#include "scenario.h"

mtx_t outer_lock, data_lock;
cnd_t data_ready;
static int ready;

static int signaller(void *arg)
{
	(void)arg;
	mtx_lock(&data_lock);
	ready = 1;
	cnd_signal(&data_ready);
	mtx_unlock(&data_lock);
	return 0;
}

static int signaller_with_lock(void *arg)
{
	(void)arg;
	mtx_lock(&outer_lock);
	mtx_unlock(&outer_lock);
	mtx_lock(&data_lock);
	ready = 2;
	cnd_broadcast(&data_ready);
	mtx_unlock(&data_lock);
	return 0;
}

int main(void)
{
	thrd_t t;
	mtx_init(&outer_lock, mtx_plain);
	mtx_init(&data_lock, mtx_plain);
	cnd_init(&data_ready);
	mtx_lock(&outer_lock);
	mtx_lock(&data_lock);
	thrd_create(&t, signaller, NULL);
	while (!ready)
		cnd_wait(&data_ready, &data_lock);
	mtx_unlock(&data_lock);
	mtx_unlock(&outer_lock);
	thrd_join(t, NULL);
	thrd_create(&t, signaller_with_lock, NULL);
	thrd_join(t, NULL);
	CHECK(ready == 2);
	cnd_destroy(&data_ready);
	return 0;
}
