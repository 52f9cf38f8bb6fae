// fork() while other threads insert into every runtime table (locks, lock
// pages, classes, chains, init sites): each child must be able to init, lock
// and exit (a table lock held by a thread that did not survive the fork
// used to hang it).
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static atomic_int stop;
static pthread_mutex_t g1 = PTHREAD_MUTEX_INITIALIZER, g2 = PTHREAD_MUTEX_INITIALIZER;

#define SITE(n) static void site##n(pthread_mutex_t *m) { pthread_mutex_init(m, NULL); }
SITE(0) SITE(1) SITE(2) SITE(3) SITE(4) SITE(5) SITE(6) SITE(7)
static void (*sites[8])(pthread_mutex_t *) = { site0, site1, site2, site3, site4, site5, site6, site7 };

static void *churn(void *arg)
{
	(void)arg;
	for (unsigned i = 0; !atomic_load(&stop); i++) {
		pthread_mutex_t *m = malloc(sizeof *m * 4);
		for (int k = 0; k < 4; k++)
			sites[k + 4 * (i % 2)](&m[k]);
		pthread_mutex_lock(&g1);
		for (int k = 0; k < 4; k++)
			pthread_mutex_lock(&m[k]);
		for (int k = 4; k-- > 0;)
			pthread_mutex_unlock(&m[k]);
		pthread_mutex_unlock(&g1);
		for (int k = 0; k < 4; k++)
			pthread_mutex_destroy(&m[k]);
		free(m);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[3];
	for (long i = 0; i < 3; i++)
		pthread_create(&t[i], NULL, churn, (void *)i);
	int ok = 0;
	for (int n = 0; n < 150; n++) {
		pid_t p = fork();
		if (p == 0) {
			pthread_mutex_t m;
			pthread_mutex_init(&m, NULL);
			pthread_mutex_t *h = malloc(sizeof *h); /* g1 may be held: not used */
			sites[n % 8](h);
			pthread_mutex_lock(&g2);
			pthread_mutex_lock(&m);
			pthread_mutex_lock(h);
			pthread_mutex_unlock(h);
			pthread_mutex_unlock(&m);
			pthread_mutex_unlock(&g2);
			_exit(7);
		}
		int st;
		if (p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 7)
			ok++;
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("children ok: %d\n", ok);
	return 0;
}
