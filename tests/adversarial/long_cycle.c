// A cycle through 200 locks is printed whole, with the right endpoints.
// expect: circular
// stderr: -> #199 (
// stderr: ring --> ring+0x1ef0 --> ring+0x1f18
#include <pthread.h>
#include <stdio.h>

#define N 200
pthread_mutex_t ring[N];

int main(void)
{
	for (int i = 0; i < N; i++)
		pthread_mutex_init(&ring[i], NULL);
	for (int i = 0; i + 1 < N; i++) {
		pthread_mutex_lock(&ring[i]);
		pthread_mutex_lock(&ring[i + 1]);
		pthread_mutex_unlock(&ring[i + 1]);
		pthread_mutex_unlock(&ring[i]);
	}
	pthread_mutex_lock(&ring[N - 1]);
	pthread_mutex_lock(&ring[0]);
	pthread_mutex_unlock(&ring[0]);
	pthread_mutex_unlock(&ring[N - 1]);
	puts("done");
	return 0;
}
