/* C11 call_once: the initialiser takes config_lock; a later caller holds
 * config_lock when it calls call_once. Had it been first, or had another
 * thread been inside the initialiser, it would wait forever. glibc runs
 * call_once on its internal once (no pthread_once call to see): call_once
 * is interposed itself. */
// expect: wait config_lock config_once
// stderr: call_once(config_once) with config_lock held
#include <threads.h>

#include "scenario.h"

mtx_t config_lock;
once_flag config_once = ONCE_FLAG_INIT;
static int config;

static void load_config(void)
{
	mtx_lock(&config_lock);
	config = 42;
	mtx_unlock(&config_lock);
}

static int first_user(void *arg)
{
	(void)arg;
	call_once(&config_once, load_config);
	return 0;
}

int main(void)
{
	thrd_t t;
	mtx_init(&config_lock, mtx_plain);
	thrd_create(&t, first_user, NULL);
	thrd_join(t, NULL);
	mtx_lock(&config_lock);
	call_once(&config_once, load_config);
	mtx_unlock(&config_lock);
	CHECK(config == 42);
	return 0;
}
