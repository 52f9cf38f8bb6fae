/* A program with a SIGCHLD handler and no children: the runtime's helpers
 * (the symbolizer, the graph-db helper) must never show up in it. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <errno.h>
static volatile sig_atomic_t nchld;
static void on_chld(int s) { (void)s; nchld++; }
static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
int main(void)
{
	signal(SIGCHLD, on_chld);
	pthread_mutex_lock(&a); pthread_mutex_lock(&b); pthread_mutex_unlock(&b); pthread_mutex_unlock(&a);
	pthread_mutex_lock(&b); pthread_mutex_lock(&a); pthread_mutex_unlock(&a); pthread_mutex_unlock(&b);
	int w = wait(NULL);
	printf("sigchld=%d wait=%d errno=%s\n", (int)nchld, w, w < 0 && errno == ECHILD ? "ECHILD" : "other");
	return 0;
}
