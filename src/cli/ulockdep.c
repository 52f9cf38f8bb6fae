/* The launcher: ulockdep [options] [--] PROGRAM [ARGS...]
 * Turns --flags into ULOCKDEP_OPTIONS, preloads the runtime, runs the
 * program, and maps reports to the exit status. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/options.h"
#include "../common/snapshot.h"
#include "db.h"
#include "needed.h"
#include "../common/outfile.h"
#include "html.h"

#define VERSION "0.1.0"

static pid_t child;

static void usage(FILE *f)
{
	fprintf(f, "usage: ulockdep [options] [--] PROGRAM [ARGS...]\n"
		   "       ulockdep graph FILE.json -o OUT.svg\n"
		   "       ulockdep html OUT.html INPUT...   (JSON reports, lock_stat, graph FILE.json)\n"
		   "       ulockdep db check|merge|stats|export|baseline ... (docs/graph-db.md)\n\n"
		   "Runs PROGRAM with the ulockdep lock validator preloaded and reports lock-order\n"
		   "inversions, recursive locking, misuse, signal-handler lock hazards and real\n"
		   "deadlocks in the Linux kernel lockdep layout.\n\noptions:\n");
	for (int i = 0; i < ul_option_count; i++) {
		const struct ul_option_desc *d = &ul_option_table[i];
		if (ul_option_internal(d))
			continue;
		char flag[64];
		snprintf(flag, sizeof flag, "--%s", d->name);
		for (char *p = flag; *p; p++)
			if (*p == '_')
				*p = '-';
		char left[96];
		snprintf(left, sizeof left, "%s%s%s", flag, d->metavar[0] ? " " : "", d->metavar);
		char allowed[256];
		ul_option_allowed(d, allowed, sizeof allowed);
		fprintf(f, "  %-30s %s", left, d->help);
		if (d->type != 'B' && d->def[0])
			fprintf(f, " [%s]", d->def);
		if (d->type != 'B')
			fprintf(f, "\n  %-30s   allowed: %s", "", allowed);
		fprintf(f, "\n");
	}
	fprintf(f, "  %-30s %s\n  %-30s %s\n", "-h, --help", "Show this help.", "--version", "Show the version.");
	fprintf(f, "\nBooleans take 1/0, true/false, yes/no or on/off; a bare --flag means 1,\n"
		   "--no-flag means 0.\n"
		   "Every option also works as NAME=VALUE in the ULOCKDEP_OPTIONS environment\n"
		   "variable (':' or space separated; quote a value with \"...\" or '...'),\n"
		   "e.g. ULOCKDEP_OPTIONS='json=r.json:exitcode=66'. A bad value stops the run\n"
		   "with status 1 before the program starts.\n"
		   "Output files: the launcher opens them before the program starts, never follows\n"
		   "a symlink, replaces a regular file by renaming a new one over it, and writes a\n"
		   "device in place. %%p in a path is the pid. With --sarif or --graph, the launched\n"
		   "process writes FILE; every other process writes FILE with .PID before the\n"
		   "extension. See docs/output.md and ulockdep(1).\n");
}

static void man(void)
{
	printf(".TH ULOCKDEP 1 \"2026\" \"ulockdep " VERSION "\" \"User Commands\"\n"
	       ".SH NAME\nulockdep \\- lock dependency validator for C and C++ programs\n"
	       ".SH SYNOPSIS\n.B ulockdep\n[\\fIoptions\\fR] [\\fB\\-\\-\\fR] \\fIPROGRAM\\fR [\\fIARGS\\fR...]\n.br\n"
	       ".B ulockdep graph\n\\fIFILE.json\\fR \\fB\\-o\\fR \\fIOUT.svg\\fR\n.br\n"
	       ".B ulockdep html\n\\fIOUT.html\\fR \\fIINPUT\\fR...\n.br\n"
	       ".B ulockdep db\ncheck|merge|stats|export|baseline \\fIFILE\\fR ...\n"
	       ".SH DESCRIPTION\nRuns \\fIPROGRAM\\fR with libulockdep.so preloaded. The runtime watches every "
	       "pthread and C11 lock operation, learns the order of lock classes, and reports a deadlock that "
	       "could happen before it does, in the layout of the Linux kernel's lockdep: possible circular "
	       "locking dependency, possible recursive locking, bad unlock balance, held lock freed, locks held "
	       "at thread exit, inconsistent lock state and SIGNAL-safe -> SIGNAL-unsafe order for signal "
	       "handlers, failed lock assertions, and real deadlocks (threads blocked on each other).\n"
	       ".SH OPTIONS\n");
	for (int i = 0; i < ul_option_count; i++) {
		const struct ul_option_desc *d = &ul_option_table[i];
		if (ul_option_internal(d))
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
		char allowed[256];
		ul_option_allowed(d, allowed, sizeof allowed);
		printf("\n%s Allowed: %s.", d->help, allowed);
		if (d->type != 'B' && d->def[0])
			printf(" Default: %s.", d->def);
		printf(" Environment: \\fB%s=\\fR\\fIVALUE\\fR in ULOCKDEP_OPTIONS.\n", d->name);
	}
	printf(".SH OUTPUT FILES\n"
	       "The launcher opens every output file before the program starts, as the invoking user, with "
	       "relative paths made absolute against its own directory, and passes the descriptors to the "
	       "runtime. Files are therefore written even after the program changes user or directory. With "
	       "bare LD_PRELOAD the runtime opens them at start-up, before main. The runtime keeps private "
	       "close-on-exec copies at high descriptor numbers and checks them before every write; a "
	       "descriptor the program closed is reopened by path.\n.PP\n"
	       "A symbolic link is never followed (the output is refused); a new file is created with O_EXCL; "
	       "an existing regular file is replaced by a randomly named temporary file in the same directory, "
	       "renamed over it; a device or FIFO is written in place; in a sticky shared directory such as "
	       "/tmp a file owned by another user is refused. A path is never truncated: longer than PATH_MAX "
	       "is an error naming the option.\n.PP\n"
	       "\\fB%%p\\fR in any path is the process id. JSON lines and the log are shared by all processes "
	       "of a run without %%p (each line is one append). \\-\\-sarif and \\-\\-graph are per "
	       "process: the launched process writes FILE, every other process (forked or exec'ed) writes FILE "
	       "with .PID inserted before the extension (graph: FILE.PID.dot, FILE.PID.json). Per-process files "
	       "left empty are removed at exit; a process not running as root creates them at its first write.\n.PP\n"
	       "Reports go to a private copy of stderr taken at start-up, never to a file the program later "
	       "opened as descriptor 2. When an output cannot be opened or written (ENOSPC, EACCES), one notice "
	       "names the file and the error, and the exit summary says what was lost.\n"
	       ".SH ENVIRONMENT\n.TP\n.B ULOCKDEP_OPTIONS\nOptions as NAME=VALUE items separated by ':' or spaces; "
	       "doubled or trailing separators are ignored. A value may be quoted: \"...\" with \\e\" and "
	       "\\e\\e escapes, or '...' taken as is. An unquoted value ends at a space or at a ':' that starts "
	       "the next NAME=. The launcher passes its flags here, quoted, so bare LD_PRELOAD=libulockdep.so "
	       "use works the same.\n.TP\n.B ULOCKDEP_FDS\nInternal: the descriptors the launcher opened. Each "
	       "is used only if it is still the file (device and inode) it names, and only by a process whose "
	       "ULOCKDEP_OPTIONS is the one the launcher set; a process that sets its own writes its own files.\n"
	       ".SH EXIT STATUS\nThe program's own status, unless \\-\\-exitcode N is given and something was "
	       "reported (then N), or the program was killed by a signal (the launcher dies of the same signal). "
	       "1 for a usage error, a bad option value, a path longer than PATH_MAX or a bad suppressions file "
	       "(the program does not start); as a shell: 127 if PROGRAM is not found, 126 if it is found but "
	       "cannot run (a directory, not executable).\n"
	       ".SH FILES\nSuppression files hold one rule per line: \\fIKIND PATTERN # reason\\fR. KIND is a "
	       "report kind or *, PATTERN a glob on a lock class name or on a function in any stack. A "
	       "suppressions file must be a regular file of at most 1 MiB with lines of at most 1023 bytes and no "
	       "NUL bytes; anything else is a FILE:LINE error.\n"
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

/* errno as a shell sees it when it runs path: 0, EISDIR, EACCES or ENOENT. */
static int runnable(const char *path)
{
	struct stat st;
	if (stat(path, &st))
		return errno == ENOENT || errno == ENOTDIR ? ENOENT : errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	return access(path, X_OK) ? EACCES : 0;
}

/* The program as execvp finds it, or NULL with *err (the shell's 126 for
 * a file that cannot run, 127 for none). */
static char *which(const char *prog, int *err)
{
	static char buf[PATH_MAX];
	if (strchr(prog, '/')) {
		*err = runnable(prog);
		return *err ? NULL : (char *)prog;
	}
	const char *path = getenv("PATH");
	*err = ENOENT;
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		snprintf(buf, sizeof buf, "%.*s/%s", (int)n, p, prog);
		int r = runnable(buf);
		if (!r)
			return buf;
		if (r == EACCES)
			*err = EACCES; /* found, not executable: as the shell, said unless another runs */
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

static int html_cmd(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: ulockdep html OUT.html INPUT...\n"
				"INPUT: --json report lines (with lock_stat lines from --lock-stat), --graph FILE.json\n");
		return 1;
	}
	return ul_html_build(argv[2], (const char *const *)argv + 3, argc - 3);
}

/* --html: the page from the files the runtime wrote into dir, then the
 * files and dir go. */
static void html_finish(const char *out, const char *dir)
{
	DIR *d = opendir(dir);
	char **in = NULL;
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char **more = realloc(in, (size_t)(n + 1) * sizeof *in);
		if (!more)
			break;
		in = more;
		if (asprintf(&in[n], "%s/%s", dir, e->d_name) >= 0)
			n++;
	}
	if (d)
		closedir(d);
	const char *json[n + 1];
	int nj = 0;
	for (int k = 0; k < n; k++)
		if (strlen(in[k]) > 5 && !strcmp(in[k] + strlen(in[k]) - 5, ".json"))
			json[nj++] = in[k];
	if (!nj)
		fprintf(stderr, "ulockdep: --html: the program left no data (did it start under ulockdep?)\n");
	else if (ul_html_build(out, json, nj) == 0)
		fprintf(stderr, "ulockdep: HTML report: %s\n", out);
	for (int k = 0; k < n; k++) {
		unlink(in[k]);
		free(in[k]);
	}
	free(in);
	/* anything written meanwhile (a late child) goes too */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	for (struct dirent *e; d && (e = readdir(d));)
		if (e->d_name[0] != '.' || (e->d_name[1] && strcmp(e->d_name, "..")))
			unlinkat(dfd, e->d_name, 0);
	if (d)
		closedir(d);
	else if (dfd >= 0)
		close(dfd);
	rmdir(dir);
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

/* The signals that go on to the program: every one whose default kills
 * and that someone else sends (not SIGPIPE or the launcher's own timers).
 * One the launcher found ignored (nohup, a background job) stays ignored,
 * and the program inherits it so, as it would without ulockdep. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };
#define NFORWARDED (sizeof forwarded / sizeof forwarded[0])
static struct sigaction start_action[NFORWARDED], start_chld;

static void forward_signals(void)
{
	struct sigaction fw;
	memset(&fw, 0, sizeof fw);
	fw.sa_sigaction = forward;
	fw.sa_flags = SA_SIGINFO | SA_RESTART;
	sigemptyset(&fw.sa_mask);
	for (size_t k = 0; k < NFORWARDED; k++) {
		sigaction(forwarded[k], NULL, &start_action[k]);
		if (start_action[k].sa_handler != SIG_IGN)
			sigaction(forwarded[k], &fw, NULL);
	}
	/* an ignored SIGCHLD (a supervisor that reaps automatically) would
	 * reap the program before waitpid() sees its status */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGCHLD, &dfl, &start_chld);
}

/* In the program's process, before exec: what the launcher started with. */
static void restore_signals(void)
{
	for (size_t k = 0; k < NFORWARDED; k++)
		sigaction(forwarded[k], &start_action[k], NULL);
	sigaction(SIGCHLD, &start_chld, NULL);
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
	if (strlen(in) >= sizeof dot) {
		fprintf(stderr, "ulockdep graph: %s: the path is longer than PATH_MAX\n", in);
		return 1;
	}
	strcpy(dot, in);
	size_t n = strlen(dot);
	if (n > 5 && !strcmp(dot + n - 5, ".json"))
		strcpy(dot + n - 5, ".dot");
	if (access(dot, R_OK)) {
		fprintf(stderr, "ulockdep graph: %s not found (written next to the JSON by --graph)\n", dot);
		return 1;
	}
	int werr;
	if (!which("dot", &werr)) {
		fprintf(stderr, "ulockdep graph: Graphviz 'dot' is not installed (apt-get install graphviz)\n");
		return 1;
	}
	const char *fmt = strrchr(out, '.') ? strrchr(out, '.') + 1 : "svg";
	char tflag[32];
	snprintf(tflag, sizeof tflag, "-T%s", fmt);
	ul_helper_env();
	execlp("dot", "dot", tflag, dot, "-o", out, (char *)NULL);
	perror("ulockdep graph: dot");
	return 127;
}

/* Make a path option absolute against our directory, so the program's
 * chdir does not move it. Never truncated: too long is an error. */
static int absolute(const char *flag, const char **val, size_t reserve)
{
	char *out = NULL;
	if (!**val)
		return 0;
	if ((*val)[0] != '/') {
		char *cwd = getcwd(NULL, 0);
		if (!cwd || asprintf(&out, "%s%s%s", cwd, cwd[strlen(cwd) - 1] == '/' ? "" : "/", *val) < 0) {
			fprintf(stderr, "ulockdep: %s: cannot make the path absolute: %s\n", flag, strerror(errno));
			return -1;
		}
		free(cwd);
		*val = out;
	}
	if (strlen(*val) + reserve >= PATH_MAX) {
		fprintf(stderr, "ulockdep: %s: the path is longer than PATH_MAX (%zu bytes)%s\n", flag,
			PATH_MAX - 1 - reserve, out ? " once made absolute" : "");
		return -1;
	}
	return 0;
}

/* One file for two of the outputs (or an output over an input) would be
 * overwritten or mixed: refused. Paths are absolute here; an existing file
 * is compared by identity, else its directory's real path and name. */
static void canonical(const char *p, char *out, size_t len)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(p, '/');
	snprintf(dir, sizeof dir, "%.*s", slash && slash != p ? (int)(slash - p) : 1, p);
	if (slash && realpath(dir, real))
		snprintf(out, len, "%s/%s", strcmp(real, "/") ? real : "", slash + 1);
	else
		snprintf(out, len, "%s", p);
}

static bool same_path(const char *a, const char *b)
{
	struct stat x, y;
	if (!stat(a, &x) && !stat(b, &y))
		return x.st_dev == y.st_dev && x.st_ino == y.st_ino;
	char ca[PATH_MAX + 8], cb[PATH_MAX + 8];
	canonical(a, ca, sizeof ca);
	canonical(b, cb, sizeof cb);
	return !strcmp(ca, cb);
}

static int check_outputs(const struct ul_options *o)
{
	/* static: 16 paths would take 64 KB of a stack that `ulimit -s` may make small */
	static struct { const char *flag; char path[PATH_MAX + 16]; bool out; } f[16];
	int n = 0;
#define ADD(fl, p, suffix, isout) \
	if ((p) && *(p) && n < 16) { \
		f[n].flag = fl; \
		snprintf(f[n].path, sizeof f[n].path, "%s%s", p, suffix); \
		f[n++].out = isout; \
	}
	ADD("--json", o->json, "", true);
	ADD("--sarif", o->sarif, "", true);
	ADD("--log-file", o->log_file, "", true);
	ADD("--graph", o->graph, ".json", true);
	ADD("--graph", o->graph, ".dot", true);
	ADD("--graph-db", o->graph_db, "", true);
	ADD("--graph-db", o->graph_db, "-snapshot", true);
	ADD("--graph-db", o->graph_db, "-wal", true);
	ADD("--html", o->html, "", true);
	ADD("--baseline", o->baseline, "", false);
#undef ADD
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if ((f[i].out || f[j].out) && strcmp(f[i].flag, f[j].flag) && same_path(f[i].path, f[j].path)) {
				fprintf(stderr, "ulockdep: %s and %s name the same file (%s)\n", f[i].flag, f[j].flag,
					f[i].path);
				return -1;
			}
	if (o->html && *o->html) {
		char dir[PATH_MAX];
		struct stat st;
		const char *slash = strrchr(o->html, '/');
		snprintf(dir, sizeof dir, "%.*s", slash && slash != o->html ? (int)(slash - o->html) : 1, o->html);
		if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "ulockdep: --html: %s: no such directory\n", dir);
			return -1;
		}
	}
	return 0;
}

/* The options for the runtime, each quoted so it arrives unchanged. */
static char *encode_options(const struct ul_options *o)
{
	size_t cap = 1024;
	for (int i = 0; i < ul_option_count; i++)
		cap += PATH_MAX * 2 + 64;
	cap += (size_t)UL_MAX_LIST * (PATH_MAX * 2 + 32);
	char *env = calloc(1, cap);
	struct ul_options def;
	ul_options_defaults(&def);
#define OPT(n, t, d, m, lo, hi, v, h) ENC_##t(n)
#define ENC_B(n) if (o->n != def.n) ul_option_encode(env, (int)cap, #n, o->n ? "1" : "0");
#define ENC_I(n) if (o->n != def.n) { char x[32]; snprintf(x, sizeof x, "%ld", o->n); ul_option_encode(env, (int)cap, #n, x); }
#define ENC_G(n) if (o->n != def.n) { char x[32]; snprintf(x, sizeof x, "%d", o->n); ul_option_encode(env, (int)cap, #n, x); }
#define ENC_E(n) if (strcmp(o->n, def.n)) ul_option_encode(env, (int)cap, #n, o->n);
#define ENC_P(n) ENC_E(n)
#define ENC_S(n) ENC_E(n)
#define ENC_C(n) ENC_E(n)
#define ENC_L(n) for (int i = 0; i < o->n##_count; i++) ul_option_encode(env, (int)cap, #n, o->n[i]);
#include "../common/options.def"
#undef OPT
	return env;
}

/* The outputs the launcher opens for the program, as the invoking user,
 * before exec. The child fills this shared page; the parent commits. */
enum { F_LOG, F_JSON, F_SARIF, F_DOT, F_GJSON, F_N };
static const struct { const char *key, *flag; int mode; } fout[F_N] = {
	{ "log", "--log-file", UL_OF_STREAM }, { "json", "--json", UL_OF_STREAM },
	{ "sarif", "--sarif", UL_OF_WHOLE }, { "dot", "--graph", UL_OF_WHOLE }, { "gjson", "--graph", UL_OF_WHOLE },
};
struct shared {
	int failed;
	struct { int used; char path[PATH_MAX]; struct ul_openfile f; } f[F_N];
};

static const char *pattern_of(const struct ul_options *o, int i)
{
	return i == F_LOG ? o->log_file : i == F_JSON ? o->json : i == F_SARIF ? o->sarif : o->graph;
}

/* In the child, before exec: the suppression files, read through
 * descriptors so a program exec'ed after a uid change still has them.
 * %p is the launched program's pid. */
static int open_suppressions(const struct ul_options *o, int *supp)
{
	for (int s = 0; s < o->suppressions_count; s++) {
		char path[PATH_MAX];
		int r = ul_path_make(o->suppressions[s], getpid(), NULL, NULL, path, sizeof path);
		if (r) {
			fprintf(stderr, "ulockdep: --suppressions: the path is longer than PATH_MAX (%d bytes)\n",
				PATH_MAX - 1);
			return -1;
		}
		supp[s] = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
		if (supp[s] < 0) {
			fprintf(stderr, "ulockdep: %s: cannot read suppressions file: %s\n", path, strerror(errno));
			return -1;
		}
		supp[s] = ul_fd_move_high(supp[s], 0);
	}
	return 0;
}

/* In the child, before exec: open every output and describe them in
 * ULOCKDEP_FDS. A path too long is fatal; a file that cannot be opened
 * gets one notice and its output is lost. */
static int open_outputs(const struct ul_options *o, struct shared *sh, int status_fd, int carry_fd,
			const int *supp)
{
	char *env = calloc(1, 4096);
	/* opts: which ULOCKDEP_OPTIONS these descriptors serve; a process
	 * that sets its own gets its own files */
	int n = snprintf(env, 4096, "pid=%d;opts=%llx", getpid(), ul_hash_str(getenv("ULOCKDEP_OPTIONS")));
	struct stat st;
	if (status_fd >= 0 && fstat(status_fd, &st) == 0)
		n += snprintf(env + n, 4096 - (size_t)n, ";status=%d,%lu,%lu", status_fd, (unsigned long)st.st_dev,
			      (unsigned long)st.st_ino);
	if (carry_fd >= 0 && fstat(carry_fd, &st) == 0)
		n += snprintf(env + n, 4096 - (size_t)n, ";carry=%d,%lu,%lu", carry_fd, (unsigned long)st.st_dev,
			      (unsigned long)st.st_ino);
	for (int i = 0; i < o->suppressions_count; i++)
		if (fstat(supp[i], &st) == 0)
			n += snprintf(env + n, 4096 - (size_t)n, ";supp%d=%d,%lu,%lu", i, supp[i],
				      (unsigned long)st.st_dev, (unsigned long)st.st_ino);
	for (int i = 0; i < F_N; i++) {
		const char *pat = pattern_of(o, i);
		if (!*pat)
			continue;
		sh->f[i].used = 1;
		int r = ul_path_make(pat, getpid(), NULL, i == F_DOT ? ".dot" : i == F_GJSON ? ".json" : NULL,
				     sh->f[i].path, sizeof sh->f[i].path);
		if (r == -ENAMETOOLONG) {
			fprintf(stderr, "ulockdep: %s: the path is longer than PATH_MAX (%d bytes)\n", fout[i].flag,
				PATH_MAX - 1);
			return -1;
		}
		if (!r)
			r = ul_outfile_open(sh->f[i].path, fout[i].mode, &sh->f[i].f);
		if (r) {
			sh->f[i].used = 0;
			fprintf(stderr, "ulockdep: cannot open %s %s: %s; %s\n", fout[i].flag, sh->f[i].path,
				strerror(-r), i == F_LOG ? "reports go to stderr" : "its output will be lost");
			n += snprintf(env + n, 4096 - (size_t)n, ";%s=!%d", fout[i].key, -r);
			continue;
		}
		sh->f[i].f.fd = ul_fd_move_high(sh->f[i].f.fd, 0);
		n += snprintf(env + n, 4096 - (size_t)n, ";%s=%d,%lu,%lu", fout[i].key, sh->f[i].f.fd,
			      sh->f[i].f.dev, sh->f[i].f.ino);
	}
	setenv("ULOCKDEP_FDS", env, 1);
	return 0;
}

/* After the program ended: put replaced files in place, and remove the
 * files of this process that we created and it left empty. */
static void commit_outputs(struct shared *sh, const struct ul_options *o)
{
	for (int i = 0; i < F_N; i++) {
		struct ul_openfile *f = &sh->f[i].f;
		struct stat st;
		/* a shared stream may still get lines from other processes */
		if (!sh->f[i].used || (fout[i].mode == UL_OF_STREAM && !strstr(pattern_of(o, i), "%p")))
			continue;
		const char *p = (f->flags & UL_OF_TEMP) ? f->tmp : sh->f[i].path;
		if (!(f->flags & (UL_OF_TEMP | UL_OF_CREATED)) || lstat(p, &st) || st.st_ino != f->ino ||
		    st.st_dev != f->dev)
			continue;
		if (!st.st_size)
			unlink(p);
		else if ((f->flags & UL_OF_TEMP) && rename(f->tmp, sh->f[i].path))
			fprintf(stderr, "ulockdep: cannot replace %s: %s; the output is in %s\n", sh->f[i].path,
				strerror(errno), f->tmp);
	}
}

int main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "graph"))
		return graph_cmd(argc, argv);
	if (argc >= 2 && !strcmp(argv[1], "db"))
		return db_main(argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "html"))
		return html_cmd(argc, argv);
	struct ul_options opt;
	ul_options_defaults(&opt);
	const char *uenv = getenv("ULOCKDEP_OPTIONS");
	if (uenv) {
		char *copy = strdup(uenv), err[1200] = "out of memory";
		if (!copy || ul_options_parse(&opt, copy, err, sizeof err)) {
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
		bool negated = false;
		if (!d && !eq && !strncmp(name, "no_", 3)) {
			/* --no-FLAG: a boolean turned off (--no-wait-check) */
			d = ul_option_find(name + 3);
			if (d && d->type == 'B') {
				memmove(name, name + 3, strlen(name + 3) + 1);
				negated = true;
			} else {
				d = NULL;
			}
		}
		if (!d || ul_option_internal(d)) {
			char names[1024];
			ul_option_names(names, sizeof names);
			fprintf(stderr, "ulockdep: unknown option '%s'\nvalid options (as --name-with-dashes): %s\n"
					"run 'ulockdep --help' for details\n", a, names);
			return 1;
		}
		if (eq)
			val = eq + 1;
		else if (negated)
			val = "0";
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
			fprintf(stderr, "ulockdep: --%.*s: %s\n", (int)(eq ? eq - a - 2 : (long)strlen(a) - 2), a + 2, err);
			return 1;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 1;
	}
	if (absolute("--json", &opt.json, 0) || absolute("--sarif", &opt.sarif, 0) ||
	    absolute("--log-file", &opt.log_file, 0) || absolute("--graph", &opt.graph, 5) ||
	    absolute("--graph-db", &opt.graph_db, 32) || absolute("--baseline", &opt.baseline, 0) ||
	    absolute("--html", &opt.html, 0) || check_outputs(&opt))
		return 1;
	for (int s = 0; s < opt.suppressions_count; s++)
		if (absolute("--suppressions", &opt.suppressions[s], 0))
			return 1;
	int supp[UL_MAX_LIST];
	int perr;
	char *prog = which(argv[i], &perr);
	if (!prog) {
		/* the shell's codes: 127 not found, 126 found but cannot run */
		if (perr == ENOENT && !strchr(argv[i], '/'))
			fprintf(stderr, "ulockdep: %s: command not found\n", argv[i]);
		else
			fprintf(stderr, "ulockdep: %s: %s\n", argv[i], strerror(perr));
		return perr == ENOENT ? 127 : 126;
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
	/* With a tiny descriptor limit every descriptor is the program's: pass
	 * none, the runtime opens its files by path at each write. */
	bool tiny = ul_fd_floor() < 0;
	if (tiny)
		fprintf(stderr, "ulockdep: RLIMIT_NOFILE is below %d: ulockdep keeps no descriptors in the program; "
				"its files are opened at each write (a program that changes user may lose them)\n",
			UL_FD_TINY);
	/* reports are counted through a descriptor: a uid change cannot lose them */
	int sfd = tiny ? -1 : memfd_create("ulockdep-reports", MFD_CLOEXEC);
	if (sfd >= 0)
		sfd = ul_fd_move_high(sfd, 0);
	/* the owner's report counts, for the image it may exec next */
	int cfd = tiny ? -1 : memfd_create("ulockdep-carry", MFD_CLOEXEC);
	if (cfd >= 0)
		cfd = ul_fd_move_high(cfd, 0);
	struct shared *sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("ulockdep: mmap");
		return 1;
	}
	/* --graph-db: the runtime reads a snapshot of the database and leaves
	 * its new dependencies in a private directory; merged after the run */
	char gdir[] = "/tmp/ulockdep-graph-XXXXXX";
	bool graph = opt.graph_db && *opt.graph_db;
	if (graph) {
		if (!mkdtemp(gdir)) {
			perror("ulockdep: mkdtemp");
			return 1;
		}
		if (db_run_prepare(opt.graph_db, opt.graph_db_timeout_ms, gdir, true)) {
			/* a foreign or corrupt file stops; a locked one, a full disk
			 * or an unwritable place runs without history */
			if (!db_busy && !db_io) {
				db_run_finish(opt.graph_db, opt.graph_db_timeout_ms, gdir); /* removes gdir */
				return 1;
			}
			fprintf(stderr, "ulockdep: %s: running without the recorded lock orders\n", opt.graph_db);
		}
		setenv(UL_GRAPH_DIR_ENV, gdir, 1);
	}
	const char *pre = getenv("LD_PRELOAD");
	/* AddressSanitizer must be the first library: its runtime goes ahead
	 * of ulockdep's (it does not intercept the lock calls) */
	char asan[256] = "";
	if (program_needs(argv[i], "libasan.so", asan, sizeof asan - 1)) {
		setenv(UL_ADDED_PRELOAD_ENV, asan, 1);
		strcat(asan, ":");
	}
	char *preload;
	if (asprintf(&preload, "%s%s%s%s", asan, rt, pre && *pre ? ":" : "", pre ? pre : "") < 0)
		return 1;
	/* --html: the runtime writes its data into a private directory; the
	 * page is made from it after the program ends */
	char html_dir[] = "/tmp/ulockdep-html-XXXXXX";
	bool html = opt.html && *opt.html;
	opt.html_dir = "";
	if (html) {
		if (!mkdtemp(html_dir)) {
			perror("ulockdep: --html: mkdtemp");
			return 1;
		}
		opt.html_dir = html_dir;
	}
	char *env = encode_options(&opt);
	setenv("LD_PRELOAD", preload, 1);
	setenv("ULOCKDEP_OPTIONS", env, 1);

	forward_signals();
	child = fork();
	if (child < 0) {
		perror("ulockdep: fork");
		return 1;
	}
	if (child == 0) {
		restore_signals();
		if (tiny) {
			char e[64];
			snprintf(e, sizeof e, "pid=%d;opts=%llx", getpid(), ul_hash_str(getenv("ULOCKDEP_OPTIONS")));
			setenv("ULOCKDEP_FDS", e, 1);
		} else if (open_suppressions(&opt, supp) || open_outputs(&opt, sh, sfd, cfd, supp)) {
			sh->failed = 1;
			_exit(1);
		}
		execvp(argv[i], argv + i);
		int ee = errno;
		fprintf(stderr, "ulockdep: %s: %s\n", argv[i], strerror(ee));
		_exit(ee == ENOENT || ee == ENOTDIR ? 127 : 126);
	}
	int ws = 0;
	pid_t w;
	while ((w = waitpid(child, &ws, 0)) < 0 && errno == EINTR)
		;
	if (w < 0) {
		perror("ulockdep: waitpid");
		ws = 1 << 8; /* a lost status is not a success */
	}
	child = 0; /* its pid may be reused: forward nothing more */
	/* what runs after the program (Graphviz for --html) is not under ulockdep */
	ul_helper_env();
	long reports = 0;
	if (sfd >= 0 && fstat(sfd, &st) == 0)
		reports = st.st_size;
	if (graph)
		db_run_finish(opt.graph_db, opt.graph_db_timeout_ms, gdir);
	commit_outputs(sh, &opt);
	if (html)
		html_finish(opt.html, html_dir);
	if (sh->failed)
		return 1;
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
