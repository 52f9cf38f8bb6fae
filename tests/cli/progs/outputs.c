/* One lock-order inversion (a report), after doing what real servers do
 * to their environment first. Usage: outputs MODE [ARG]
 *   abba           the inversion only
 *   abba2          two inversions (two reports)
 *   drop           setgid/setuid to nobody (65534), then the inversion
 *   dropexec       setgid/setuid to nobody, then exec "outputs abba"
 *   chdir DIR      chdir(DIR), then the inversion
 *   chdirfork DIR  chdir(DIR), then the inversion in a forked child
 *   close2 FILE    close fd 2, open FILE (it becomes fd 2), the inversion,
 *                  then write "data" to fd 2
 *   closeall      close every descriptor from 3 up, then the inversion
 *   forkexec       take parent_a -> parent_b; fork; the child execs
 *                  "outputs child", which inverts child_a/child_b
 *   abbaexec       the inversion, then exec "outputs child" (another one)
 *   badname        name the lock classes and this thread with a 0xFF byte */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ulockdep.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t c = PTHREAD_MUTEX_INITIALIZER, d = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t parent_a = PTHREAD_MUTEX_INITIALIZER, parent_b = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t child_a = PTHREAD_MUTEX_INITIALIZER, child_b = PTHREAD_MUTEX_INITIALIZER;

static void order(pthread_mutex_t *x, pthread_mutex_t *y)
{
	pthread_mutex_lock(x);
	pthread_mutex_lock(y);
	pthread_mutex_unlock(y);
	pthread_mutex_unlock(x);
}

static void abba(pthread_mutex_t *x, pthread_mutex_t *y)
{
	order(x, y);
	order(y, x);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "abba";
	const char *arg = argc > 2 ? argv[2] : "";
	if (!strcmp(mode, "drop")) {
		if (setgid(65534) || setuid(65534)) {
			perror("setuid");
			return 2;
		}
	} else if (!strcmp(mode, "dropexec")) {
		if (setgid(65534) || setuid(65534))
			return 2;
		execl("/proc/self/exe", argv[0], "abba", (char *)NULL);
		return 127;
	} else if (!strcmp(mode, "chdir")) {
		if (chdir(arg)) {
			perror("chdir");
			return 2;
		}
	} else if (!strcmp(mode, "chdirfork")) {
		if (chdir(arg))
			return 2;
		pid_t p = fork();
		if (p == 0) {
			abba(&a, &b);
			_exit(0);
		}
		int st;
		waitpid(p, &st, 0);
		return 0;
	} else if (!strcmp(mode, "close2")) {
		close(2);
		if (open(arg, O_WRONLY | O_CREAT | O_TRUNC, 0644) != 2)
			return 2;
	} else if (!strcmp(mode, "closeall")) {
		for (int fd = 3; fd < 4096; fd++)
			close(fd);
	} else if (!strcmp(mode, "forkexec")) {
		order(&parent_a, &parent_b);
		pid_t p = fork();
		if (p == 0) {
			execl("/proc/self/exe", argv[0], "child", (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(p, &st, 0);
		return WIFEXITED(st) ? WEXITSTATUS(st) : 3;
	} else if (!strcmp(mode, "abbaexec")) {
		abba(&a, &b);
		execl("/proc/self/exe", argv[0], "child", (char *)NULL);
		return 127;
	} else if (!strcmp(mode, "child")) {
		abba(&child_a, &child_b);
		return 0;
	} else if (!strcmp(mode, "badname")) {
		ulockdep_set_name(&a, "bad\xff" "a");
		ulockdep_set_name(&b, "bad\xc3(b");
		pthread_setname_np(pthread_self(), "thr\xfe\xff");
	}
	abba(&a, &b);
	if (!strcmp(mode, "abba2"))
		abba(&c, &d);
	if (!strcmp(mode, "close2") && write(2, "data\n", 5) != 5)
		return 2;
	return 0;
}
