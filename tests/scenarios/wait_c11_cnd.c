/* The C11 spelling of wait_cond_signaller_needs_lock: cnd_wait under
 * outer_lock; the only signaller takes outer_lock before cnd_signal. */
// expect: wait outer_lock data_ready
#include <sched.h>
#include <stdatomic.h>
#include <threads.h>

#include "scenario.h"

mtx_t outer_lock, data_lock;
cnd_t data_ready;
static int ready, waiting;
static atomic_int passed;

static int signaller(void *arg)
{
	(void)arg;
	mtx_lock(&outer_lock);
	mtx_unlock(&outer_lock);
	atomic_store(&passed, 1);
	mtx_lock(&data_lock);
	while (!waiting) {
		mtx_unlock(&data_lock);
		sched_yield();
		mtx_lock(&data_lock);
	}
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
	thrd_create(&t, signaller, NULL);
	while (!atomic_load(&passed))
		sched_yield();
	mtx_lock(&outer_lock);
	mtx_lock(&data_lock);
	waiting = 1;
	while (!ready)
		cnd_wait(&data_ready, &data_lock);
	mtx_unlock(&data_lock);
	mtx_unlock(&outer_lock);
	thrd_join(t, NULL);
	CHECK(ready == 1);
	cnd_destroy(&data_ready);
	return 0;
}
