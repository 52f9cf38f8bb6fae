/* Clean twin of wait_c11_call_once_needs_lock: the caller holds
 * registry_lock, which the initialiser never takes. */
// expect: none
#include <threads.h>

#include "scenario.h"

mtx_t config_lock, registry_lock;
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
	mtx_init(&registry_lock, mtx_plain);
	thrd_create(&t, first_user, NULL);
	thrd_join(t, NULL);
	mtx_lock(&registry_lock);
	call_once(&config_once, load_config);
	mtx_unlock(&registry_lock);
	CHECK(config == 42);
	return 0;
}
