/* A program with its own allocator that maps every block and unmaps it on
 * free (as jemalloc unmaps while the loader bootstraps the runtime's
 * dlsym lookups). munmap() is interposed, so it must never look anything
 * up itself: the allocator would be re-entered and wait on its own lock.
 * Freed blocks end the locks in them (the program's free() is not the
 * runtime's: munmap() is what it sees), so a lock at a reused address
 * lends no history; the real inversion on two globals is still found. */
// expect: circular lock_a lock_b
// timeout: 30
#include "scenario.h"
#include <sys/mman.h>

static pthread_mutex_t alloc_lock = PTHREAD_MUTEX_INITIALIZER;

struct hdr { size_t len; size_t pad; };

void *malloc(size_t n)
{
	pthread_mutex_lock(&alloc_lock);
	size_t len = (n + sizeof(struct hdr) + 4095) & ~(size_t)4095;
	struct hdr *h = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* a scratch page unmapped at once: munmap on every allocation */
	void *scratch = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch != MAP_FAILED)
		munmap(scratch, 4096);
	pthread_mutex_unlock(&alloc_lock);
	if (h == MAP_FAILED)
		return NULL;
	h->len = len;
	return h + 1;
}

void free(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	munmap(h, h->len);
}

void *calloc(size_t a, size_t b)
{
	return malloc(a * b); /* fresh mappings are zeroed */
}

void *realloc(void *p, size_t n)
{
	void *q = malloc(n);
	if (q && p) {
		struct hdr *h = (struct hdr *)p - 1;
		size_t old = h->len - sizeof *h;
		memcpy(q, p, old < n ? old : n);
		free(p);
	}
	return q;
}

pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER, lock_b = PTHREAD_MUTEX_INITIALIZER;
pthread_mutex_t global_lock = PTHREAD_MUTEX_INITIALIZER;

int main(void)
{
	pthread_mutex_t *m = malloc(sizeof *m);
	*m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	L(m);
	L(&global_lock);
	U(&global_lock);
	U(m);
	void *old = m;
	free(m);
	pthread_mutex_t *n = malloc(sizeof *n);
	*n = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
	if ((void *)n == old) { /* reuse is likely, not certain */
		L(&global_lock);
		L(n);
		U(n);
		U(&global_lock);
	}
	free(n);
	struct pair ab = { &lock_a, &lock_b }, ba = { &lock_b, &lock_a };
	on_thread(ordered, &ab);
	on_thread(ordered, &ba);
	return 0;
}
