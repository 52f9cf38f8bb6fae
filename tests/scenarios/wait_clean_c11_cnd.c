/* Clean twin of wait_c11_cnd: the waiter holds only the condvar's own
 * mutex; the signaller takes outer_lock, but nobody waits holding it. */
// expect: none
// options: wait_check=1
#include <threads.h>

#include "scenario.h"

mtx_t outer_lock, data_lock;
cnd_t data_ready;
static int ready;

static int signaller(void *arg)
{
	(void)arg;
	mtx_lock(&outer_lock);
	mtx_unlock(&outer_lock);
	mtx_lock(&data_lock);
	ready = 1;
	cnd_signal(&data_ready);
	mtx_unlock(&data_lock);
	return 0;
}

int main(void)
{
	thrd_t t;
	mtx_init(&outer_lock, mtx_plain);
	mtx_init(&data_lock, mtx_plain);
	cnd_init(&data_ready);
	mtx_lock(&data_lock);
	thrd_create(&t, signaller, NULL);
	while (!ready)
		cnd_wait(&data_ready, &data_lock);
	mtx_unlock(&data_lock);
	thrd_join(t, NULL);
	mtx_lock(&outer_lock);
	mtx_unlock(&outer_lock);
	cnd_destroy(&data_ready);
	return 0;
}
