/* Signal dispositions as the program sees them, for the launcher tests.
 *   signals show           print which of HUP INT CHLD are ignored
 *   signals usr1           wait for SIGUSR1, then exit 3
 *   signals ignchld CMD... run CMD with SIGCHLD ignored (a supervisor that
 *                          reaps its children automatically)
 *   signals segv           die of SIGSEGV */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t got;

static void on_usr1(int sig)
{
	(void)sig;
	got = 1;
}

static const char *disp(int sig)
{
	struct sigaction sa;
	sigaction(sig, NULL, &sa);
	return sa.sa_handler == SIG_IGN ? "ignored" : "default";
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "show")) {
		printf("HUP %s INT %s CHLD %s\n", disp(SIGHUP), disp(SIGINT), disp(SIGCHLD));
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "usr1")) {
		signal(SIGUSR1, on_usr1);
		for (int i = 0; i < 200 && !got; i++) /* 20 s at most */
			usleep(100000);
		return got ? 3 : 1;
	}
	if (argc > 2 && !strcmp(argv[1], "ignchld")) {
		signal(SIGCHLD, SIG_IGN);
		execvp(argv[2], argv + 2);
		return 126;
	}
	if (argc > 1 && !strcmp(argv[1], "segv"))
		raise(SIGSEGV);
	return 2;
}
