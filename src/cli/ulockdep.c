/* The launcher: ulockdep [options] [--] PROGRAM [ARGS...]
 * Turns --flags into ULOCKDEP_OPTIONS, preloads the runtime, runs the
 * program, and maps reports to the exit status. */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/options.h"

#define VERSION "0.1.0"

static pid_t child;

static void usage(FILE *f)
{
	fprintf(f, "usage: ulockdep [options] [--] PROGRAM [ARGS...]\n"
		   "       ulockdep graph FILE.json -o OUT.svg\n\n"
		   "Runs PROGRAM with the ulockdep lock validator preloaded and reports lock-order\n"
		   "inversions, recursive locking, misuse, signal-handler lock hazards and real\n"
		   "deadlocks in the Linux kernel lockdep layout.\n\noptions:\n");
	for (int i = 0; i < ul_option_count; i++) {
		const struct ul_option_desc *d = &ul_option_table[i];
		if (!strcmp(d->name, "status_file"))
			continue;
		char flag[64];
		snprintf(flag, sizeof flag, "--%s", d->name);
		for (char *p = flag; *p; p++)
			if (*p == '_')
				*p = '-';
		char left[96];
		snprintf(left, sizeof left, "%s%s%s", flag, d->metavar[0] ? " " : "", d->metavar);
		fprintf(f, "  %-30s %s", left, d->help);
		if (d->type != 'B' && d->def[0])
			fprintf(f, " [%s]", d->def);
		fprintf(f, "\n");
	}
	fprintf(f, "  %-30s %s\n  %-30s %s\n", "-h, --help", "Show this help.", "--version", "Show the version.");
	fprintf(f, "\nEvery option also works as NAME=VALUE in the ULOCKDEP_OPTIONS environment\n"
		   "variable (':' or space separated), e.g. ULOCKDEP_OPTIONS='json=r.json:exitcode=66'.\n");
}

static void man(void)
{
	printf(".TH ULOCKDEP 1 \"2026\" \"ulockdep " VERSION "\" \"User Commands\"\n"
	       ".SH NAME\nulockdep \\- lock dependency validator for C and C++ programs\n"
	       ".SH SYNOPSIS\n.B ulockdep\n[\\fIoptions\\fR] [\\fB\\-\\-\\fR] \\fIPROGRAM\\fR [\\fIARGS\\fR...]\n.br\n"
	       ".B ulockdep graph\n\\fIFILE.json\\fR \\fB\\-o\\fR \\fIOUT.svg\\fR\n"
	       ".SH DESCRIPTION\nRuns \\fIPROGRAM\\fR with libulockdep.so preloaded. The runtime watches every "
	       "pthread and C11 lock operation, learns the order of lock classes, and reports a deadlock that "
	       "could happen before it does, in the layout of the Linux kernel's lockdep: possible circular "
	       "locking dependency, possible recursive locking, bad unlock balance, held lock freed, locks held "
	       "at thread exit, inconsistent lock state and SIGNAL-safe -> SIGNAL-unsafe order for signal "
	       "handlers, failed lock assertions, and real deadlocks (threads blocked on each other).\n"
	       ".SH OPTIONS\n");
	for (int i = 0; i < ul_option_count; i++) {
		const struct ul_option_desc *d = &ul_option_table[i];
		if (!strcmp(d->name, "status_file"))
			continue;
		char flag[64];
		/* roff: a flag's hyphens are written \- */
		size_t o = 0;
		for (const char *p = d->name; *p && o + 3 < sizeof flag; p++) {
			if (*p == '_') {
				flag[o++] = '\\';
				flag[o++] = '-';
			} else {
				flag[o++] = *p;
			}
		}
		flag[o] = 0;
		printf(".TP\n.B \\-\\-%s", flag);
		if (d->metavar[0])
			printf(" \\fI%s\\fR", d->metavar);
		printf("\n%s", d->help);
		if (d->type != 'B' && d->def[0])
			printf(" Default: %s.", d->def);
		printf(" Environment: \\fB%s=\\fR\\fIVALUE\\fR in ULOCKDEP_OPTIONS.\n", d->name);
	}
	printf(".SH ENVIRONMENT\n.TP\n.B ULOCKDEP_OPTIONS\nOptions as NAME=VALUE pairs separated by ':' or spaces; "
	       "the launcher appends its flags here, so bare LD_PRELOAD=libulockdep.so use works the same.\n"
	       ".SH EXIT STATUS\nThe program's own status, unless \\-\\-exitcode N is given and something was "
	       "reported (then N), or the program was killed by a signal (the launcher dies of the same signal). "
	       "1 for a usage error, 127 if PROGRAM cannot be run.\n"
	       ".SH FILES\nSuppression files hold one rule per line: \\fIKIND PATTERN # reason\\fR. KIND is a "
	       "report kind or *, PATTERN a glob on a lock class name or on a function in any stack.\n"
	       ".SH SEE ALSO\n\\fBaddr2line\\fR(1), \\fBvalgrind\\fR(1); the kernel's "
	       "Documentation/locking/lockdep-design.rst.\n");
}

static char *find_runtime(void)
{
	static char path[PATH_MAX + 64];
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	char *dir = dirname(exe);
	const char *cands[] = { "%s/libulockdep.so", "%s/../lib/ulockdep/libulockdep.so", "%s/../lib/libulockdep.so" };
	for (size_t i = 0; i < sizeof cands / sizeof cands[0]; i++) {
		snprintf(path, sizeof path, cands[i], dir);
		if (access(path, R_OK) == 0) {
			char *real = realpath(path, NULL);
			return real ? real : path;
		}
	}
	return NULL;
}

static char *which(const char *prog)
{
	static char buf[PATH_MAX];
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? (char *)prog : NULL;
	const char *path = getenv("PATH");
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
		if (access(buf, X_OK) == 0)
			return buf;
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

/* 1 if the file is a dynamically linked ELF (has PT_INTERP), 0 if static,
 * -1 if not ELF (a script: its interpreter is what runs). */
static int elf_dynamic(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	Elf64_Ehdr eh;
	int r = -1;
	if (read(fd, &eh, sizeof eh) == sizeof eh && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		r = 0;
		for (int i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph;
			if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (size_t)i * eh.e_phentsize)) != sizeof ph)
				break;
			if (ph.p_type == PT_INTERP)
				r = 1;
		}
	}
	close(fd);
	return r;
}

/* A signal sent to the launcher alone goes on to the program. One from the
 * terminal (Ctrl-C, hangup: si_code SI_KERNEL) went to the whole
 * foreground process group, the program included: not sent twice. */
static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (child > 0 && !(si && si->si_code == SI_KERNEL))
		kill(child, sig);
}

static int graph_cmd(int argc, char **argv)
{
	const char *in = NULL, *out = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			out = argv[++i];
		else
			in = argv[i];
	}
	if (!in || !out) {
		fprintf(stderr, "usage: ulockdep graph FILE.json -o OUT.svg\n");
		return 1;
	}
	char dot[PATH_MAX];
	snprintf(dot, sizeof dot, "%s", in);
	size_t n = strlen(dot);
	if (n > 5 && !strcmp(dot + n - 5, ".json"))
		strcpy(dot + n - 5, ".dot");
	if (access(dot, R_OK)) {
		fprintf(stderr, "ulockdep graph: %s not found (written next to the JSON by --graph)\n", dot);
		return 1;
	}
	if (!which("dot")) {
		fprintf(stderr, "ulockdep graph: Graphviz 'dot' is not installed (apt-get install graphviz)\n");
		return 1;
	}
	const char *fmt = strrchr(out, '.') ? strrchr(out, '.') + 1 : "svg";
	char tflag[32];
	snprintf(tflag, sizeof tflag, "-T%s", fmt);
	execlp("dot", "dot", tflag, dot, "-o", out, (char *)NULL);
	perror("ulockdep graph: dot");
	return 127;
}

static void append_opt(char **env, const char *name, const char *val)
{
	size_t n = (*env ? strlen(*env) : 0) + strlen(name) + strlen(val) + 3;
	char *s = malloc(n);
	snprintf(s, n, "%s%s%s=%s", *env ? *env : "", *env && **env ? " " : "", name, val);
	free(*env);
	*env = s;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "graph"))
		return graph_cmd(argc, argv);
	struct ul_options opt;
	ul_options_defaults(&opt);
	char *env = getenv("ULOCKDEP_OPTIONS") ? strdup(getenv("ULOCKDEP_OPTIONS")) : NULL;
	if (env) {
		char *copy = strdup(env), err[1200];
		if (ul_options_parse(&opt, copy, err, sizeof err)) {
			fprintf(stderr, "ulockdep: ULOCKDEP_OPTIONS: %s\n", err);
			return 1;
		}
	}
	int i = 1;
	for (; i < argc; i++) {
		char *a = argv[i];
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--version")) {
			printf("ulockdep " VERSION "\n");
			return 0;
		}
		if (!strcmp(a, "--man")) {
			man();
			return 0;
		}
		if (strncmp(a, "--", 2))
			break;
		char name[128];
		const char *val = NULL, *eq = strchr(a, '=');
		snprintf(name, sizeof name, "%.*s", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2);
		for (char *p = name; *p; p++)
			if (*p == '-')
				*p = '_';
		const struct ul_option_desc *d = ul_option_find(name);
		if (!d || !strcmp(name, "status_file")) {
			char names[1024];
			ul_option_names(names, sizeof names);
			fprintf(stderr, "ulockdep: unknown option '%s'\nvalid options (as --name-with-dashes): %s\n"
					"run 'ulockdep --help' for details\n", a, names);
			return 1;
		}
		if (eq)
			val = eq + 1;
		else if (d->type == 'B')
			val = "1";
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			fprintf(stderr, "ulockdep: option '%s' needs a value (%s)\n", a, d->metavar);
			return 1;
		}
		char err[1200];
		if (ul_option_set(&opt, name, val, err, sizeof err)) {
			fprintf(stderr, "ulockdep: %s\n", err);
			return 1;
		}
		append_opt(&env, name, val);
	}
	if (i >= argc) {
		usage(stderr);
		return 1;
	}
	for (int s = 0; s < opt.suppressions_count; s++)
		if (access(opt.suppressions[s], R_OK)) {
			fprintf(stderr, "ulockdep: %s: cannot read suppressions file: %s\n", opt.suppressions[s],
				strerror(errno));
			return 1;
		}
	char *prog = which(argv[i]);
	if (!prog) {
		fprintf(stderr, "ulockdep: %s: command not found\n", argv[i]);
		return 127;
	}
	struct stat st;
	if (stat(prog, &st) == 0 && (((st.st_mode & S_ISUID) && st.st_uid != geteuid()) ||
				     ((st.st_mode & S_ISGID) && st.st_gid != getegid()))) {
		fprintf(stderr, "ulockdep: %s is setuid/setgid: the dynamic loader ignores LD_PRELOAD for it, so "
				"ulockdep cannot check it. Run a copy without the set-id bit, or link the runtime "
				"in (see docs/static.md).\n", prog);
		return 1;
	}
	if (elf_dynamic(prog) == 0) {
		fprintf(stderr, "ulockdep: %s is statically linked: LD_PRELOAD cannot reach it. Link it with "
				"libulockdep-wrap.a (see docs/static.md).\n", prog);
		return 1;
	}
	char *rt = find_runtime();
	if (!rt) {
		fprintf(stderr, "ulockdep: cannot find libulockdep.so next to the launcher\n");
		return 1;
	}
	char status[] = "/tmp/ulockdep-status-XXXXXX";
	int sfd = mkstemp(status);
	if (sfd >= 0) {
		close(sfd);
		append_opt(&env, "status_file", status);
	}
	const char *pre = getenv("LD_PRELOAD");
	char *preload;
	if (asprintf(&preload, "%s%s%s", rt, pre && *pre ? ":" : "", pre ? pre : "") < 0)
		return 1;
	setenv("LD_PRELOAD", preload, 1);
	setenv("ULOCKDEP_OPTIONS", env ? env : "", 1);

	struct sigaction fw;
	memset(&fw, 0, sizeof fw);
	fw.sa_sigaction = forward;
	fw.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&fw.sa_mask);
	sigaction(SIGINT, &fw, NULL);
	sigaction(SIGTERM, &fw, NULL);
	sigaction(SIGHUP, &fw, NULL);
	sigaction(SIGQUIT, &fw, NULL);
	child = fork();
	if (child < 0) {
		perror("ulockdep: fork");
		return 1;
	}
	if (child == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		execvp(argv[i], argv + i);
		fprintf(stderr, "ulockdep: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	int ws;
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	long reports = 0;
	if (sfd >= 0 && stat(status, &st) == 0)
		reports = st.st_size;
	if (sfd >= 0)
		unlink(status);
	if (WIFSIGNALED(ws)) {
		int sig = WTERMSIG(ws);
		signal(sig, SIG_DFL);
		kill(getpid(), sig);
		return 128 + sig;
	}
	int code = WIFEXITED(ws) ? WEXITSTATUS(ws) : 1;
	if (reports && opt.exitcode)
		code = (int)opt.exitcode;
	return code;
}
