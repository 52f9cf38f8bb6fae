// Past max_classes new locks go unchecked with one notice. They must never
// share a catch-all class: here that class would close a false cycle
// a -> (c) and (d) -> a, though c and d are different locks.
// opts: max_classes=16
// notice: lock classes
// expect: none
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t fill[13]; /* static: a class each */

int main(void)
{
	for (int i = 0; i < 13; i++) { /* with a, b, c: the table is full */
		pthread_mutex_lock(&fill[i]);
		pthread_mutex_unlock(&fill[i]);
	}
	pthread_mutex_lock(&a);
	pthread_mutex_lock(&b);
	pthread_mutex_unlock(&b);
	pthread_mutex_lock(&c);
	pthread_mutex_unlock(&c);
	pthread_mutex_unlock(&a);
	pthread_mutex_lock(&d);
	pthread_mutex_lock(&a);
	pthread_mutex_unlock(&a);
	pthread_mutex_unlock(&d);
	puts("done");
	return 0;
}
