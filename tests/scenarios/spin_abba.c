/* pthread spinlocks are validated like mutexes. */
// expect: circular spin_a spin_b
#include "scenario.h"

pthread_spinlock_t spin_a, spin_b;

static void *t1(void *arg)
{
	(void)arg;
	pthread_spin_lock(&spin_a);
	pthread_spin_lock(&spin_b);
	pthread_spin_unlock(&spin_b);
	pthread_spin_unlock(&spin_a);
	return NULL;
}

static void *t2(void *arg)
{
	(void)arg;
	pthread_spin_lock(&spin_b);
	pthread_spin_lock(&spin_a);
	pthread_spin_unlock(&spin_a);
	pthread_spin_unlock(&spin_b);
	return NULL;
}

int main(void)
{
	pthread_spin_init(&spin_a, 0);
	pthread_spin_init(&spin_b, 0);
	on_thread(t1, NULL);
	on_thread(t2, NULL);
	return 0;
}
