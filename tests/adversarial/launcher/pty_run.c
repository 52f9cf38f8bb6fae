/* Run a command on a new pseudo-terminal as its session's foreground job,
 * wait for "ready" in its output, type Ctrl-C, and copy all its output to
 * stdout. The terminal, not kill(), sends the SIGINT: as a user's Ctrl-C. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2)
		return 2;
	int m = posix_openpt(O_RDWR | O_NOCTTY);
	if (m < 0 || grantpt(m) || unlockpt(m)) {
		puts("no pseudo-terminal");
		return 3;
	}
	const char *sname = ptsname(m);
	pid_t p = fork();
	if (p == 0) {
		setsid();
		int s = open(sname, O_RDWR);
		if (s < 0 || ioctl(s, TIOCSCTTY, 0))
			_exit(2);
		dup2(s, 0);
		dup2(s, 1);
		dup2(s, 2);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	char out[65536];
	size_t len = 0;
	int typed = 0;
	for (;;) {
		ssize_t n = read(m, out + len, sizeof out - 1 - len);
		if (n <= 0)
			break; /* EIO once the last slave fd is closed */
		len += (size_t)n;
		out[len] = 0;
		if (!typed && strstr(out, "ready")) {
			char c = 3; /* VINTR */
			if (write(m, &c, 1) != 1)
				return 2;
			typed = 1;
		}
		if (len >= sizeof out - 1)
			break;
	}
	int st;
	waitpid(p, &st, 0);
	fwrite(out, 1, len, stdout);
	printf("\nstatus %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return 0;
}
