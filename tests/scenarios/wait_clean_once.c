/* Clean twin of wait_once_needs_lock: the initialiser takes config_lock,
 * and every caller calls pthread_once before it takes config_lock. */
// expect: none
// options: wait_check=1
#include "scenario.h"

pthread_mutex_t config_lock = PTHREAD_MUTEX_INITIALIZER;
pthread_once_t config_once = PTHREAD_ONCE_INIT;
static int config, reads;

static void load_config(void)
{
	L(&config_lock);
	config = 42;
	U(&config_lock);
}

static void *user(void *arg)
{
	(void)arg;
	pthread_once(&config_once, load_config);
	L(&config_lock);
	reads++;
	U(&config_lock);
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	for (int i = 0; i < 4; i++)
		pthread_create(&t[i], NULL, user, NULL);
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	CHECK(config == 42 && reads == 4);
	return 0;
}
