/* --graph-db benchmark program: 4000 global locks (classes m+0x0 ..), one
 * new order per run. */
#include <pthread.h>

pthread_mutex_t m[4000];

int main(void)
{
	pthread_mutex_lock(&m[3998]);
	pthread_mutex_lock(&m[3999]);
	pthread_mutex_unlock(&m[3999]);
	pthread_mutex_unlock(&m[3998]);
	return 0;
}
