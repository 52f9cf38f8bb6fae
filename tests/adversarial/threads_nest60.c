// 20,000 short threads, each nesting 60 locks (more than the inline held
// stack): memory stays flat (a grown held stack must not leak per thread).
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#define N 60
static pthread_mutex_t locks[N];

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmRSS:", 6))
			sscanf(line + 6, "%ld", &kb);
	if (f)
		fclose(f);
	return kb;
}

static void *nest(void *arg)
{
	(void)arg;
	for (int i = 0; i < N; i++)
		pthread_mutex_lock(&locks[i]);
	for (int i = N; i-- > 0;)
		pthread_mutex_unlock(&locks[i]);
	return NULL;
}

int main(void)
{
	for (int i = 0; i < N; i++)
		pthread_mutex_init(&locks[i], NULL);
	long base = 0;
	for (int i = 0; i < 20000; i++) {
		pthread_t t;
		pthread_create(&t, NULL, nest, NULL);
		pthread_join(t, NULL);
		if (i == 500)
			base = rss_kb();
	}
	long grown = rss_kb() - base;
	printf("memory after 20000 threads: %s\n", grown < 64 * 1024 ? "flat" : "grew");
	if (grown >= 64 * 1024)
		fprintf(stderr, "grew by %ld KB\n", grown);
	return 0;
}
