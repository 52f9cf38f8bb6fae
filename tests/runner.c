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

static int run_one(const char *build, const char *src)
{
	struct spec sp;
	if (parse_spec(src, &sp)) {
		printf("FAIL %s: cannot read\n", src);
		return 1;
	}
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	char name[256], bin[512], json[512], log[512], rt[512], opts[2048];
	snprintf(name, sizeof name, "%.*s", (int)(strrchr(base, '.') - base), base);
	snprintf(bin, sizeof bin, "%s/scenarios/%s", build, name);
	snprintf(json, sizeof json, "%s/scenarios/%s.json", build, name);
	snprintf(log, sizeof log, "%s/scenarios/%s.log", build, name);
	snprintf(rt, sizeof rt, "%s/libulockdep.so", build);
	char *rtabs = realpath(rt, NULL);
	unlink(json);
	snprintf(opts, sizeof opts, "json=%s summary=0 %s", json, sp.options);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("LD_PRELOAD", rtabs, 1);
		setenv("ULOCKDEP_OPTIONS", opts, 1);
		freopen(log, "w", stdout);
		dup2(1, 2);
		execl(bin, bin, (char *)NULL);
		_exit(127);
	}
	int ws = 0;
	time_t start = time(NULL);
	bool timed_out = false;
	while (waitpid(pid, &ws, WNOHANG) == 0) {
		if (time(NULL) - start > sp.timeout) {
			kill(pid, SIGKILL);
			waitpid(pid, &ws, 0);
			timed_out = true;
			break;
		}
		usleep(10000);
	}
	char why[1024] = "";
	if (timed_out)
		snprintf(why, sizeof why, "timed out after %ds", sp.timeout);
	else if (sp.exit_code == -1 && !WIFSIGNALED(ws))
		snprintf(why, sizeof why, "expected death by signal, got exit %d", WEXITSTATUS(ws));
	else if (sp.exit_code >= 0 && !(WIFEXITED(ws) && WEXITSTATUS(ws) == sp.exit_code))
		snprintf(why, sizeof why, "expected exit %d, got %s %d", sp.exit_code,
			 WIFSIGNALED(ws) ? "signal" : "exit", WIFSIGNALED(ws) ? WTERMSIG(ws) : WEXITSTATUS(ws));
	struct record recs[MAX];
	int nrec = 0;
	FILE *jf = fopen(json, "r");
	if (jf) {
		static char line[1 << 17];
		while (nrec < MAX && fgets(line, sizeof line, jf))
			parse_record(line, &recs[nrec++]);
		fclose(jf);
	}
	bool used[MAX] = { false };
	for (int i = 0; !why[0] && i < sp.nexp; i++) {
		bool ok = false;
		for (int j = 0; j < nrec && !ok; j++)
			if (!used[j] && matches(&sp.exp[i], &recs[j]))
				ok = used[j] = true;
		if (!ok) {
			int o = snprintf(why, sizeof why, "missing report: %s", sp.exp[i].kind);
			for (int l = 0; l < sp.exp[i].nlocks; l++)
				o += snprintf(why + o, sizeof why - (size_t)o, " %s", sp.exp[i].locks[l]);
		}
	}
	for (int j = 0; !why[0] && j < nrec; j++)
		if (!used[j]) {
			int o = snprintf(why, sizeof why, "unexpected report: %s", recs[j].kind);
			for (int l = 0; l < recs[j].nlocks; l++)
				o += snprintf(why + o, sizeof why - (size_t)o, " [%s]", recs[j].locks[l]);
		}
	if (!why[0] && !sp.none && sp.nexp == 0)
		snprintf(why, sizeof why, "scenario states no verdict (// expect:)");
	char *text = slurp(log);
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
	free(rtabs);
	return why[0] ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test-runner BUILD_DIR SCENARIO.c...\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int failed = 0, passed = 0;
	for (int i = 2; i < argc; i++) {
		if (run_one(argv[1], argv[i]))
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
