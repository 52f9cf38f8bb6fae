/* munmap() of a mapping that holds a locked lock: the lock's memory is
 * gone while it is held, like free() of a held lock. */
// expect: held_freed lock@main
// stderr: is freeing memory
#include "scenario.h"
#include <sys/mman.h>

int main(void)
{
	pthread_mutex_t *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	L(m);
	CHECK(munmap(m, 4096) == 0);
	return 0;
}
