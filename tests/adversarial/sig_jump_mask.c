// siglongjmp and swapcontext restore a signal mask inside libc. The lock
// taken after each runs with SIGUSR1 blocked, so the handler taking the same
// lock is consistent: no report.
// expect: none
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <ucontext.h>

static pthread_mutex_t l1 = PTHREAD_MUTEX_INITIALIZER, l2 = PTHREAD_MUTEX_INITIALIZER;
static sigjmp_buf env;
static ucontext_t main_ctx, co_ctx;
static char co_stack[64 * 1024];
static sigset_t usr1;

static void handler(int sig)
{
	(void)sig;
	pthread_mutex_lock(&l1);
	pthread_mutex_unlock(&l1);
	pthread_mutex_lock(&l2);
	pthread_mutex_unlock(&l2);
}

static void co(void)
{
	/* runs with co_ctx's mask: SIGUSR1 blocked */
	pthread_mutex_lock(&l2);
	pthread_mutex_unlock(&l2);
	swapcontext(&co_ctx, &main_ctx);
}

int main(void)
{
	signal(SIGUSR1, handler);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, NULL);
	if (sigsetjmp(env, 1) == 0) { /* saved: SIGUSR1 blocked */
		sigprocmask(SIG_UNBLOCK, &usr1, NULL);
		siglongjmp(env, 1);
	}
	pthread_mutex_lock(&l1); /* blocked again after the jump */
	pthread_mutex_unlock(&l1);

	getcontext(&co_ctx);
	co_ctx.uc_stack.ss_sp = co_stack;
	co_ctx.uc_stack.ss_size = sizeof co_stack;
	co_ctx.uc_link = &main_ctx;
	sigemptyset(&co_ctx.uc_sigmask);
	sigaddset(&co_ctx.uc_sigmask, SIGUSR1);
	makecontext(&co_ctx, co, 0);
	sigprocmask(SIG_UNBLOCK, &usr1, NULL);
	swapcontext(&main_ctx, &co_ctx);

	raise(SIGUSR1); /* the handler takes l1 and l2 */
	puts("done");
	return 0;
}
