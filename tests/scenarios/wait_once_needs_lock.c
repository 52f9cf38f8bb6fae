/* A pthread_once initialiser takes config_lock; a later caller holds
 * config_lock when it calls pthread_once. Had it been first, or had another
 * thread been inside the initialiser, it would wait forever. */
// expect: wait config_lock config_once
// options: wait_check=1
// stderr: call_once(config_once) with config_lock held
#include "scenario.h"

pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_once_t config_once = PTHREAD_ONCE_INIT;
static int config;

static void load_config(void)
{
	L(&config_lock);
	config = 42;
	U(&config_lock);
}

static void *first_user(void *arg)
{
	(void)arg;
	pthread_once(&config_once, load_config);
	return NULL;
}

int main(void)
{
	on_thread(first_user, NULL);
	L(&config_lock);
	pthread_once(&config_once, load_config);
	U(&config_lock);
	CHECK(config == 42);
	return 0;
}
