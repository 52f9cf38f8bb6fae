/* Exits with status 7 and reports nothing. */
#include <pthread.h>
int main(void)
{
	static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
	pthread_mutex_lock(&m);
	pthread_mutex_unlock(&m);
	return 7;
}
