// The address space is exhausted by the program itself, then it creates
// and nests thousands of locks: the runtime's lazy allocations fail, and it
// degrades (notices) without crashing, hanging or changing the output.
// ulimit-v: 300000
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>

#define NL 4000

int main(void)
{
	static void *blocks[4096];
	int nb = 0;
	while (nb < 4096) {
		void *p = mmap(NULL, 1u << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			break;
		blocks[nb++] = p;
	}
	static pthread_mutex_t l[NL]; /* already mapped: the runtime has nothing */
	for (int i = 0; i < NL; i++)
		pthread_mutex_init(&l[i], NULL);
	for (int round = 0; round < 3; round++)
		for (int i = 0; i + 8 < NL; i += 8) {
			for (int k = 0; k < 8; k++)
				pthread_mutex_lock(&l[i + k]);
			for (int k = 8; k-- > 0;)
				pthread_mutex_unlock(&l[i + k]);
		}
	for (int i = 0; i < NL; i++)
		pthread_mutex_destroy(&l[i]);
	for (int i = 0; i < nb; i++)
		munmap(blocks[i], 1u << 20);
	puts("done");
	return 0;
}
