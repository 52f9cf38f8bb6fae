/* Scenario runner. Each scenario source states its verdict in comment lines:
 *   // expect: KIND [LOCK...]   one report of KIND whose locks contain each
 *                               LOCK (substring); repeat for several reports
 *   // expect: none             no report at all
 *   // options: k=v ...         extra ULOCKDEP_OPTIONS
 *   // exit: N | signal | any   expected exit (default 0)
 *   // stderr: TEXT             the report text must contain TEXT
 * Every report must be expected: an extra report fails the scenario. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX 64

struct expect {
	char kind[32];
	char locks[8][128];
	int nlocks;
};

struct spec {
	struct expect exp[MAX];
	int nexp;
	bool none;
	char options[1024];
	char stderr_has[8][256];
	int nstderr;
	int exit_code; /* -1 signal, -2 any */
	int timeout;
};

struct record {
	char kind[32];
	char locks[16][256];
	int nlocks;
};

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = 0;
}

static int parse_spec(const char *src, struct spec *sp)
{
	FILE *f = fopen(src, "r");
	if (!f)
		return -1;
	memset(sp, 0, sizeof *sp);
	sp->timeout = 60;
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		trim(line);
		char *p = strstr(line, "// ");
		if (!p)
			continue;
		p += 3;
		if (!strncmp(p, "expect: ", 8)) {
			p += 8;
			if (!strcmp(p, "none")) {
				sp->none = true;
				continue;
			}
			/* "Nx KIND ..." expects N such reports */
			int count = 1;
			char *x = strchr(p, 'x');
			if (x && x > p && x[1] == ' ' && strspn(p, "0123456789") == (size_t)(x - p)) {
				count = atoi(p);
				p = x + 2;
			}
			struct expect e;
			memset(&e, 0, sizeof e);
			char *save = NULL, *tok = strtok_r(p, " ", &save);
			snprintf(e.kind, sizeof e.kind, "%s", tok ? tok : "");
			while ((tok = strtok_r(NULL, " ", &save)) && e.nlocks < 8)
				snprintf(e.locks[e.nlocks++], sizeof e.locks[0], "%s", tok);
			for (int i = 0; i < count && sp->nexp < MAX; i++)
				sp->exp[sp->nexp++] = e;
		} else if (!strncmp(p, "options: ", 9)) {
			snprintf(sp->options, sizeof sp->options, "%s", p + 9);
		} else if (!strncmp(p, "exit: ", 6)) {
			p += 6;
			sp->exit_code = !strcmp(p, "signal") ? -1 : !strcmp(p, "any") ? -2 : atoi(p);
		} else if (!strncmp(p, "stderr: ", 8) && sp->nstderr < 8) {
			snprintf(sp->stderr_has[sp->nstderr++], sizeof sp->stderr_has[0], "%s", p + 8);
		} else if (!strncmp(p, "timeout: ", 9)) {
			sp->timeout = atoi(p + 9);
		}
	}
	fclose(f);
	return 0;
}

/* Pull "kind" and "locks" out of one JSON line written by the runtime. */
static void parse_record(const char *line, struct record *r)
{
	memset(r, 0, sizeof *r);
	const char *k = strstr(line, "\"kind\":\"");
	if (k)
		sscanf(k + 8, "%31[^\"]", r->kind);
	const char *l = strstr(line, "\"locks\":[");
	if (!l)
		return;
	l += 9;
	while (*l == '"' && r->nlocks < 16) {
		l++;
		size_t o = 0;
		while (*l && *l != '"' && o < sizeof r->locks[0] - 1) {
			if (*l == '\\' && l[1])
				l++;
			r->locks[r->nlocks][o++] = *l++;
		}
		r->locks[r->nlocks++][o] = 0;
		if (*l == '"')
			l++;
		if (*l == ',')
			l++;
	}
}

static bool matches(const struct expect *e, const struct record *r)
{
	if (strcmp(e->kind, r->kind))
		return false;
	for (int i = 0; i < e->nlocks; i++) {
		bool found = false;
		for (int j = 0; j < r->nlocks && !found; j++)
			found = strstr(r->locks[j], e->locks[i]) != NULL;
		if (!found)
			return false;
	}
	return true;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return strdup("");
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc((size_t)n + 1);
	size_t got = fread(s, 1, (size_t)n, f);
	s[got] = 0;
	fclose(f);
	return s;
}

/* One scenario in flight: its verdict, paths and child. */
struct job {
	struct spec sp;
	char name[256], json[512], log[512];
	pid_t pid;
	time_t start;
	const char *src;
	bool bad_spec;
};

static void start_one(const char *build, const char *rtabs, const char *src, struct job *j)
{
	memset(j, 0, sizeof *j);
	j->src = src;
	if (parse_spec(src, &j->sp)) {
		j->bad_spec = true;
		return;
	}
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	char bin[512], opts[2048];
	snprintf(j->name, sizeof j->name, "%.*s", (int)(strrchr(base, '.') - base), base);
	snprintf(bin, sizeof bin, "%s/scenarios/%s", build, j->name);
	snprintf(j->json, sizeof j->json, "%s/scenarios/%s.json", build, j->name);
	snprintf(j->log, sizeof j->log, "%s/scenarios/%s.log", build, j->name);
	unlink(j->json);
	/* summary=1 verbosity=1: the runtime prints its summary at exit even
	 * when nothing was reported, which proves it was loaded and ran. */
	/* UL_TEST_OPTIONS: more options for every scenario (the verdicts must
	 * not change, e.g. with lock_stat=1) */
	const char *extra = getenv("UL_TEST_OPTIONS");
	snprintf(opts, sizeof opts, "json=%s summary=1 verbosity=1 %s %s", j->json, extra ? extra : "",
		 j->sp.options);
	j->start = time(NULL);
	j->pid = fork();
	if (j->pid == 0) {
		/* UL_TEST_PRELOAD_FIRST: a library that must come before the
		 * runtime (libasan, for a sanitized build of the runtime) */
		const char *first = getenv("UL_TEST_PRELOAD_FIRST");
		char pre[1024];
		snprintf(pre, sizeof pre, "%s%s%s", first ? first : "", first ? " " : "", rtabs);
		setenv("LD_PRELOAD", pre, 1);
		setenv("ULOCKDEP_OPTIONS", opts, 1);
		if (!freopen(j->log, "w", stdout))
			_exit(126);
		dup2(1, 2);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
}

/* The runtime leaves a trace of itself: a JSON report, or its exit summary. */
static bool runtime_seen(int nrec, const char *text)
{
	return nrec > 0 || strstr(text, "ulockdep summary for ") != NULL;
}

static int finish_one(struct job *j, int ws, bool timed_out)
{
	struct spec sp = j->sp;
	const char *name = j->name;
	if (j->bad_spec) {
		printf("FAIL %s: cannot read\n", j->src);
		return 1;
	}
	char why[1024] = "";
	if (timed_out)
		snprintf(why, sizeof why, "timed out after %ds", sp.timeout);
	else if (sp.exit_code == -1 && !WIFSIGNALED(ws))
		snprintf(why, sizeof why, "expected death by signal, got exit %d", WEXITSTATUS(ws));
	else if (sp.exit_code >= 0 && !(WIFEXITED(ws) && WEXITSTATUS(ws) == sp.exit_code))
		snprintf(why, sizeof why, "expected exit %d, got %s %d", sp.exit_code,
			 WIFSIGNALED(ws) ? "signal" : "exit", WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
	static struct record recs[MAX];
	int nrec = 0;
	FILE *jf = fopen(j->json, "r");
	if (jf) {
		static char line[1 << 17];
		while (nrec < MAX && fgets(line, sizeof line, jf))
			if (!strncmp(line, "{\"kind\":", 8)) /* not the lock_stat line */
				parse_record(line, &recs[nrec++]);
		fclose(jf);
	}
	bool used[MAX] = { false };
	for (int i = 0; !why[0] && i < sp.nexp; i++) {
		bool ok = false;
		for (int k = 0; k < nrec && !ok; k++)
			if (!used[k] && matches(&sp.exp[i], &recs[k]))
				ok = used[k] = true;
		if (!ok) {
			int o = snprintf(why, sizeof why, "missing report: %s", sp.exp[i].kind);
			for (int l = 0; l < sp.exp[i].nlocks; l++)
				o += snprintf(why + o, sizeof why - (size_t)o, " %s", sp.exp[i].locks[l]);
		}
	}
	for (int k = 0; !why[0] && k < nrec; k++)
		if (!used[k]) {
			int o = snprintf(why, sizeof why, "unexpected report: %s", recs[k].kind);
			for (int l = 0; l < recs[k].nlocks; l++)
				o += snprintf(why + o, sizeof why - (size_t)o, " [%s]", recs[k].locks[l]);
		}
	if (!why[0] && !sp.none && sp.nexp == 0)
		snprintf(why, sizeof why, "scenario states no verdict (// expect:)");
	char *text = slurp(j->log);
	if (!why[0] && !runtime_seen(nrec, text))
		snprintf(why, sizeof why, "no sign of the runtime (no report, no exit summary): was it loaded?");
	/* a runtime bug says "internal:" (a registry overflow, a broken
	 * invariant): never expected */
	if (!why[0] && text && strstr(text, "ulockdep: internal:"))
		snprintf(why, sizeof why, "the runtime printed an internal error");
	for (int i = 0; !why[0] && i < sp.nstderr; i++)
		if (!strstr(text, sp.stderr_has[i]))
			snprintf(why, sizeof why, "output lacks \"%s\"", sp.stderr_has[i]);
	if (why[0]) {
		printf("FAIL %s: %s\n", name, why);
		printf("---- output of %s ----\n%.6000s\n----\n", name, text);
	} else {
		printf("PASS %s\n", name);
	}
	free(text);
	return why[0] ? 1 : 0;
}

/* Scenarios run in parallel (most of them sleep or wait); results print in
 * the order given. UL_TEST_JOBS overrides the number run at once. */
int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-runner BUILD_DIR SCENARIO.c...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	char rt[512];
	snprintf(rt, sizeof rt, "%s/libulockdep.so", argv[1]);
	char *rtabs = realpath(rt, NULL);
	if (!rtabs) {
		printf("FAIL runtime: %s not found\n0 passed, 1 failed\n", rt);
		return 1;
	}
	int n = argc - 2;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN) * 4;
	if (getenv("UL_TEST_JOBS"))
		jobs = atol(getenv("UL_TEST_JOBS"));
	if (jobs < 1)
		jobs = 1;
	struct job *js = calloc((size_t)n + 1, sizeof *js);
	int *ws = calloc((size_t)n + 1, sizeof *ws);
	bool *done = calloc((size_t)n + 1, sizeof *done), *tmo = calloc((size_t)n + 1, sizeof *tmo);
	int next = 0, running = 0, reported = 0, failed = 0, passed = 0;
	while (reported < n) {
		while (next < n && running < jobs) {
			start_one(argv[1], rtabs, argv[2 + next], &js[next]);
			if (js[next].bad_spec || js[next].pid < 0)
				done[next] = true;
			else
				running++;
			next++;
		}
		bool progress = false;
		for (int i = 0; i < next; i++) {
			if (done[i])
				continue;
			pid_t r = waitpid(js[i].pid, &ws[i], WNOHANG);
			if (r == 0 && time(NULL) - js[i].start > js[i].sp.timeout) {
				kill(js[i].pid, SIGKILL);
				waitpid(js[i].pid, &ws[i], 0);
				tmo[i] = true;
				r = js[i].pid;
			}
			if (r != 0) {
				done[i] = true;
				running--;
				progress = true;
			}
		}
		while (reported < next && done[reported]) {
			if (finish_one(&js[reported], ws[reported], tmo[reported]))
				failed++;
			else
				passed++;
			reported++;
		}
		if (!progress)
			usleep(10000);
	}
	printf("%d passed, %d failed\n", passed, failed);
	free(rtabs);
	return failed ? 1 : 0;
}
