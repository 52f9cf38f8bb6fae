/* Offline graph work on a graph database: `ulockdep db check` (cycles that
 * no single process saw, e.g. runs that ran in parallel), `db baseline` and
 * `db export`. The graph is loaded compactly (stacks are read only for
 * reports), strongly connected components are found with Tarjan's
 * algorithm, and each component with more than one class is searched
 * breadth-first for its shortest strong cycles, with the runtime's read
 * rule: an xR edge may not be followed by an Sx edge. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../common/fingerprint.h"
#include "../common/utf8.h"
#include "db.h"

#define DEP_EN 1u
#define DEP_ER 2u
#define DEP_SN 4u
#define MAX_CYCLE 1024 /* classes in one reported cycle; longer: a note */
#define MAX_REPORTS 1000
#define MAX_WORK 200000000ull /* edge visits over all searches */

struct gedge {
	uint32_t from, to;
	uint32_t run;
	uint8_t types;
};

struct grun {
	char *program, *host, *argv;
	int pid;
	long long time;
};

struct db_graph {
	sqlite3 *db;
	const char *path;
	uint32_t n;           /* classes */
	long long *cid;       /* database id of class i */
	char **key, **name;
	uint32_t ne;
	struct gedge *e;      /* sorted by from */
	uint32_t *first;      /* edges of class i: first[i] .. first[i+1] */
	uint32_t *scc;        /* component of each class */
	uint32_t *scc_size;
	struct grun *runs;    /* by run id */
	sqlite3_stmt *stack_q;
	size_t nruns;
};

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (!p) {
		fprintf(stderr, "ulockdep: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const unsigned char *s)
{
	char *p = strdup(s ? (const char *)s : "");
	if (!p)
		exit(1);
	return p;
}

/* Tarjan's strongly connected components, iteratively. */
static void find_sccs(struct db_graph *g)
{
	uint32_t n = g->n, idx = 1, nscc = 0, sp = 0, cs = 0;
	uint32_t *index = xcalloc(n, sizeof *index), *low = xcalloc(n, sizeof *low);
	uint32_t *stack = xcalloc(n, sizeof *stack), *call = xcalloc(n, sizeof *call), *pos = xcalloc(n, sizeof *pos);
	char *on = xcalloc(n, 1);
	g->scc = xcalloc(n, sizeof *g->scc);
	g->scc_size = xcalloc(n + 1, sizeof *g->scc_size);
	for (uint32_t root = 0; root < n; root++) {
		if (index[root])
			continue;
		call[cs++] = root;
		index[root] = low[root] = idx++;
		stack[sp++] = root;
		on[root] = 1;
		pos[root] = g->first[root];
		while (cs) {
			uint32_t v = call[cs - 1];
			if (pos[v] < g->first[v + 1]) {
				uint32_t w = g->e[pos[v]++].to;
				if (!index[w]) {
					index[w] = low[w] = idx++;
					stack[sp++] = w;
					on[w] = 1;
					pos[w] = g->first[w];
					call[cs++] = w;
				} else if (on[w] && index[w] < low[v]) {
					low[v] = index[w];
				}
				continue;
			}
			if (low[v] == index[v]) {
				uint32_t w;
				nscc++;
				do {
					w = stack[--sp];
					on[w] = 0;
					g->scc[w] = nscc;
					g->scc_size[nscc]++;
				} while (w != v);
			}
			cs--;
			if (cs) {
				uint32_t u = call[cs - 1];
				if (low[v] < low[u])
					low[u] = low[v];
			}
		}
	}
	free(index);
	free(low);
	free(stack);
	free(call);
	free(pos);
	free(on);
}

static int cmp_edge(const void *a, const void *b)
{
	const struct gedge *x = a, *y = b;
	return x->from != y->from ? (x->from < y->from ? -1 : 1) : (x->to > y->to) - (x->to < y->to);
}

struct db_graph *graph_load(sqlite3 *db, const char *path)
{
	struct db_graph *g = xcalloc(1, sizeof *g);
	g->db = db;
	g->path = path;
	sqlite3_stmt *st;
	int rc;
	long long maxid = 0;
	if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL))
		goto fail;
	if (sqlite3_prepare_v2(db, "SELECT count(*), coalesce(max(id), 0) FROM classes", -1, &st, NULL))
		goto fail;
	if (sqlite3_step(st) == SQLITE_ROW) {
		g->n = (uint32_t)sqlite3_column_int64(st, 0);
		maxid = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	uint32_t *map = xcalloc((size_t)maxid + 1, sizeof *map);
	g->cid = xcalloc(g->n, sizeof *g->cid);
	g->key = xcalloc(g->n, sizeof *g->key);
	g->name = xcalloc(g->n, sizeof *g->name);
	if (sqlite3_prepare_v2(db, "SELECT id, key, name FROM classes ORDER BY key", -1, &st, NULL))
		goto fail;
	uint32_t i = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && i < g->n) {
		long long id = sqlite3_column_int64(st, 0);
		if (id < 0 || id > maxid)
			continue;
		map[id] = i + 1;
		g->cid[i] = id;
		g->key[i] = xstrdup(sqlite3_column_text(st, 1));
		g->name[i] = xstrdup(sqlite3_column_text(st, 2));
		i++;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto fail;
	g->n = i;
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM deps", -1, &st, NULL))
		goto fail;
	size_t cap = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	g->e = xcalloc(cap, sizeof *g->e);
	if (sqlite3_prepare_v2(db, "SELECT from_class, to_class, types, run FROM deps", -1, &st, NULL))
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && g->ne < cap) {
		long long f = sqlite3_column_int64(st, 0), t = sqlite3_column_int64(st, 1);
		if (f < 0 || t < 0 || f > maxid || t > maxid || !map[f] || !map[t] || f == t)
			continue;
		g->e[g->ne++] = (struct gedge){ map[f] - 1, map[t] - 1, (uint32_t)sqlite3_column_int64(st, 3),
						(uint8_t)sqlite3_column_int(st, 2) };
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		goto fail;
	free(map);
	if (sqlite3_prepare_v2(db, "SELECT id, program, host, argv, pid, time FROM runs", -1, &st, NULL))
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t id = (size_t)sqlite3_column_int64(st, 0);
		if (id >= g->nruns) {
			size_t nn = (id + 1) * 2;
			g->runs = realloc(g->runs, nn * sizeof *g->runs);
			if (!g->runs)
				exit(1);
			memset(g->runs + g->nruns, 0, (nn - g->nruns) * sizeof *g->runs);
			g->nruns = nn;
		}
		g->runs[id] = (struct grun){ xstrdup(sqlite3_column_text(st, 1)), xstrdup(sqlite3_column_text(st, 2)),
					     xstrdup(sqlite3_column_text(st, 3)), sqlite3_column_int(st, 4),
					     sqlite3_column_int64(st, 5) };
	}
	sqlite3_finalize(st);
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	qsort(g->e, g->ne, sizeof *g->e, cmp_edge);
	g->first = xcalloc(g->n + 1, sizeof *g->first);
	for (uint32_t k = 0; k < g->ne; k++)
		g->first[g->e[k].from + 1]++;
	for (uint32_t k = 0; k < g->n; k++)
		g->first[k + 1] += g->first[k];
	find_sccs(g);
	return g;
fail:
	db_fail(db, path, "cannot read the graph");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return NULL;
}

void graph_free(struct db_graph *g)
{
	if (!g)
		return;
	for (uint32_t i = 0; i < g->n; i++) {
		free(g->key[i]);
		free(g->name[i]);
	}
	for (size_t i = 0; i < g->nruns; i++) {
		free(g->runs[i].program);
		free(g->runs[i].host);
		free(g->runs[i].argv);
	}
	free(g->runs);
	sqlite3_finalize(g->stack_q);
	free(g->cid);
	free(g->key);
	free(g->name);
	free(g->e);
	free(g->first);
	free(g->scc);
	free(g->scc_size);
	free(g);
}

/* The runtime's strong-path step (src/core/graph.c): arrived as a
 * recursive reader, only an E edge may leave. */
static bool step(uint8_t types, bool arrived_r, bool *next_r)
{
	uint8_t ok = arrived_r ? (types & (DEP_EN | DEP_ER)) : types;
	if (ok & (DEP_EN | DEP_SN)) {
		*next_r = false;
		return true;
	}
	*next_r = true;
	return ok != 0;
}

struct search {
	uint32_t *mark, *parent, *queue, gen;
	unsigned long long work;
	unsigned long too_long; /* cycles found longer than MAX_CYCLE */
};

/* Shortest strong cycle through s inside its component (leaving s by edge
 * only, unless it is UINT32_MAX): edge indices in order from s; returns
 * the length, 0 if none. */
static int bfs_cycle(struct db_graph *g, struct search *S, uint32_t s, bool start_r, uint32_t only, uint32_t *path)
{
	uint32_t gen = ++S->gen, head = 0, tail = 0, comp = g->scc[s];
	S->mark[2 * s + start_r] = gen;
	S->queue[tail++] = s << 1 | start_r;
	while (head < tail) {
		uint32_t cur = S->queue[head] >> 1;
		bool cur_r = S->queue[head++] & 1;
		for (uint32_t k = g->first[cur]; k < g->first[cur + 1]; k++) {
			if (head == 1 && only != UINT32_MAX && k != only)
				continue;
			S->work++;
			uint32_t to = g->e[k].to;
			bool nr;
			if (g->scc[to] != comp || !step(g->e[k].types, cur_r, &nr))
				continue;
			/* back at s: arriving as a reader is only consistent with a
			 * search that assumed it */
			if (to == s && (!nr || start_r)) {
				uint32_t tmp[MAX_CYCLE], n = 0, node = cur, st = cur_r;
				tmp[n++] = k;
				while (node != s || st != start_r) {
					uint32_t p = S->parent[2 * node + st];
					if (n >= MAX_CYCLE) {
						S->too_long++;
						return 0;
					}
					tmp[n++] = p >> 1;
					node = g->e[p >> 1].from;
					st = p & 1;
				}
				for (uint32_t i = 0; i < n; i++)
					path[i] = tmp[n - 1 - i];
				return (int)n;
			}
			if (to == s)
				continue; /* a cycle passes s once */
			if (S->mark[2 * to + nr] == gen)
				continue;
			S->mark[2 * to + nr] = gen;
			S->parent[2 * to + nr] = k << 1 | cur_r;
			S->queue[tail++] = to << 1 | nr;
		}
	}
	return 0;
}

/* ---- report output ---- */

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = ul_utf8_len((const unsigned char *)s);
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else if (!n)
			fprintf(f, "\\\\x%02X", c);
		else {
			fwrite(s, 1, n, f);
			s += n - 1;
		}
	}
	fputc('"', f);
}

static void utc(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static char *edge_stack(struct db_graph *g, const struct gedge *e)
{
	char *s = NULL;
	if (!g->stack_q &&
	    sqlite3_prepare_v2(g->db, "SELECT stack FROM deps WHERE from_class = ? AND to_class = ?", -1, &g->stack_q,
			       NULL))
		return xstrdup(NULL);
	sqlite3_stmt *st = g->stack_q;
	sqlite3_bind_int64(st, 1, g->cid[e->from]);
	sqlite3_bind_int64(st, 2, g->cid[e->to]);
	if (sqlite3_step(st) == SQLITE_ROW)
		s = xstrdup(sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return s ? s : xstrdup(NULL);
}

struct finding {
	char fp[17];
	char message[1024];
	struct { char uri[256], func[128]; int line; } loc[8];
	int nloc;
};

/* "f+0x1c/0x80 (file.c:42)": the file and line, if the frame has them. */
static bool frame_fileline(const char *fr, char *uri, size_t ulen, int *line, char *func, size_t flen)
{
	const char *open = strrchr(fr, '('), *colon = open ? strrchr(open, ':') : NULL;
	if (!colon || colon[1] < '0' || colon[1] > '9')
		return false;
	snprintf(uri, ulen, "%.*s", (int)(colon - open - 1), open + 1);
	*line = atoi(colon + 1);
	size_t n = strcspn(fr, "+ (");
	snprintf(func, flen, "%.*s", (int)n, fr);
	return true;
}

/* One cycle, in the runtime's layout: step i is class c_i, and its stack is
 * the one recorded with the edge into it. */
static void report_cycle(struct db_graph *g, const uint32_t *path, int n, FILE *out, FILE *json,
			 struct finding *fd)
{
	uint32_t cls[MAX_CYCLE];
	const struct gedge *into[MAX_CYCLE];
	for (int i = 0; i < n; i++) {
		cls[i] = g->e[path[i]].from;
		into[i] = &g->e[path[i ? i - 1 : n - 1]];
	}
	char *text = NULL, *stacks[MAX_CYCLE];
	size_t tlen = 0;
	FILE *t = open_memstream(&text, &tlen);
	if (!t)
		exit(1);
	const char *hdr = "WARNING: possible circular locking dependency detected";
	char rule[64];
	memset(rule, '=', strlen(hdr));
	rule[strlen(hdr)] = 0;
	fprintf(t, "\n%s\n%s\nulockdep db check %s, ulockdep 0.1.0\n", rule, hdr, g->path);
	memset(rule, '-', strlen(hdr));
	fprintf(t, "%s\nthese lock orders were recorded by different runs; no single run saw them all.\n", rule);
	fprintf(t, "\nthe existing dependency chain (in reverse order) is:\n");
	for (int i = n - 1; i >= 0; i--) {
		const struct gedge *e = into[i];
		fprintf(t, "\n-> #%d (%s){..}:\n", i, g->name[cls[i]]);
		if (e->run < g->nruns && g->runs[e->run].program) {
			const struct grun *r = &g->runs[e->run];
			char when[64];
			utc(r->time, when, sizeof when);
			fprintf(t, "      (recorded by %s pid %d on %s at %s: %s)\n", r->program, r->pid, r->host, when,
				r->argv);
		}
		stacks[i] = edge_stack(g, e);
		if (!stacks[i][0])
			fprintf(t, "      (stack unavailable)\n");
		for (char *line = stacks[i], *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
			nl = strchr(line, '\n');
			fprintf(t, "      %.*s\n", nl ? (int)(nl - line) : (int)strlen(line), line);
		}
	}
	const char *src = g->name[cls[0]], *tgt = g->name[cls[n - 1]], *par = g->name[cls[n > 1 ? n - 2 : 0]];
	fprintf(t, "\nother info that might help us debug this:\n\n");
	if (n > 2)
		fprintf(t, "Chain exists of:\n  %s --> %s --> %s\n\n", src, par, tgt);
	fprintf(t, " Possible unsafe locking scenario:\n\n");
	fprintf(t, "       CPU0                    CPU1\n       ----                    ----\n");
	fprintf(t, "  lock(%s);\n                               lock(%s);\n", tgt, par);
	fprintf(t, "                               lock(%s);\n  lock(%s);\n", tgt, src);
	fprintf(t, "\n *** DEADLOCK ***\n\n");
	fclose(t);

	const char *keys[MAX_CYCLE];
	static char fpk[MAX_CYCLE][512];
	for (int i = 0; i < n; i++) {
		ul_fp_key_of_stored(g->key[cls[i]], fpk[i], sizeof fpk[i]);
		keys[i] = fpk[i];
	}
	ul_fingerprint("circular", keys, n, fd->fp);
	size_t o = (size_t)snprintf(fd->message, sizeof fd->message, "%s:", hdr);
	for (int i = 0; i < n && o < sizeof fd->message; i++)
		o += (size_t)snprintf(fd->message + o, sizeof fd->message - o, "%s %s", i ? " ->" : "", g->name[cls[i]]);
	fd->nloc = 0;
	if (out)
		fputs(text, out);
	if (json) {
		fputs("{\"kind\":\"circular\",\"message\":", json);
		json_str(json, hdr);
		fputs(",\"locks\":[", json);
		for (int i = 0; i < n; i++) {
			fputs(i ? "," : "", json);
			json_str(json, g->name[cls[i]]);
		}
		fputs("],\"thread\":\"\",\"pid\":0,\"program\":\"ulockdep db check\",\"stacks\":[", json);
	}
	for (int i = 0; i < n; i++) {
		if (json) {
			fprintf(json, "%s{\"label\":\"%s\",\"frames\":[", i ? "," : "", i ? "dependency" : "new");
			int k = 0;
			for (char *line = stacks[i], *nl; *line; line = nl ? nl + 1 : line + strlen(line), k++) {
				nl = strchr(line, '\n');
				if (nl)
					*nl = 0;
				fputs(k ? "," : "", json);
				json_str(json, line);
				if (nl)
					*nl = '\n';
			}
			fputs("]}", json);
		}
		/* one location per stack: its first frame with a file:line */
		for (char *line = stacks[i], *nl; *line && fd->nloc < 8; line = nl ? nl + 1 : line + strlen(line)) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			bool hit = frame_fileline(line, fd->loc[fd->nloc].uri, sizeof fd->loc[0].uri,
						  &fd->loc[fd->nloc].line, fd->loc[fd->nloc].func, sizeof fd->loc[0].func);
			if (nl)
				*nl = '\n';
			if (hit) {
				fd->nloc++;
				break;
			}
		}
		free(stacks[i]);
	}
	if (json) {
		fputs("],\"fingerprint\":", json);
		json_str(json, fd->fp);
		fputs(",\"report\":", json);
		json_str(json, text);
		fputs("}\n", json);
	}
	free(text);
}

static void write_sarif(FILE *f, const struct finding *fd, int n)
{
	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":"
	      "{\"driver\":{\"name\":\"ulockdep\",\"version\":\"0.1.0\",\"informationUri\":"
	      "\"https://example.invalid/ulockdep\",\"rules\":[{\"id\":\"circular\"}]}},\"results\":[", f);
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s{\"ruleId\":\"circular\",\"level\":\"error\",\"message\":{\"text\":", i ? "," : "");
		json_str(f, fd[i].message);
		fprintf(f, "},\"partialFingerprints\":{\"ulockdep/v1\":\"%s\"},\"locations\":[", fd[i].fp);
		for (int l = 0; l < fd[i].nloc; l++) {
			fputs(l ? "," : "", f);
			fputs("{\"physicalLocation\":{\"artifactLocation\":{\"uri\":", f);
			json_str(f, fd[i].loc[l].uri);
			fprintf(f, "},\"region\":{\"startLine\":%d}},\"logicalLocations\":[{\"name\":",
				fd[i].loc[l].line > 0 ? fd[i].loc[l].line : 1);
			json_str(f, fd[i].loc[l].func);
			fputs(",\"kind\":\"function\"}]}", f);
		}
		fputs("]}", f);
	}
	fputs("]}]}\n", f);
}

static uint64_t cycle_id(const uint32_t *cls, int n)
{
	uint64_t h = 0;
	for (int i = 0; i < n; i++) {
		uint64_t x = cls[i] + 0x9e3779b97f4a7c15ULL;
		x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
		h += x ^ (x >> 31);
	}
	return h | 1;
}

int graph_check(struct db_graph *g, FILE *out, const char *json, const char *sarif, const char *baseline_out)
{
	FILE *jf = NULL, *bf = NULL;
	if (json && !(jf = db_create_out(json)))
		return -1;
	if (baseline_out && !(bf = db_create_out(baseline_out))) {
		if (jf)
			fclose(jf);
		return -1;
	}
	if (bf)
		fprintf(bf, "# ulockdep baseline of %s: fingerprint, kind, lock classes\n", g->path);
	struct search S = { xcalloc(2 * (size_t)g->n, sizeof(uint32_t)), xcalloc(2 * (size_t)g->n, sizeof(uint32_t)),
			    xcalloc(2 * (size_t)g->n + 1, sizeof(uint32_t)), 0, 0, 0 };
	size_t seen_cap = 4096; /* > 2 * MAX_REPORTS */
	uint64_t *seen = xcalloc(seen_cap, sizeof *seen);
	struct finding *fd = xcalloc(MAX_REPORTS, sizeof *fd);
	int found = 0;
	bool bounded = false;
	/* pass 0: the shortest cycle through each class; pass 1: through each
	 * edge of a component that no reported cycle covers yet, so every
	 * pair of classes that is on some cycle is reported */
	uint8_t *covered = xcalloc(g->ne + 1, 1);
	for (int pass = 0; pass < 2; pass++)
	for (uint32_t i = 0; i < (pass ? g->ne : g->n) && found < MAX_REPORTS; i++) {
		uint32_t s = pass ? g->e[i].from : i, only = pass ? i : UINT32_MAX;
		if (g->scc_size[g->scc[s]] < 2 || (pass && (covered[i] || g->scc[g->e[i].to] != g->scc[s])))
			continue;
		if (S.work > MAX_WORK) {
			bounded = true;
			break;
		}
		uint32_t path[MAX_CYCLE], best[MAX_CYCLE];
		int bn = 0;
		for (int r = 0; r < 2; r++) {
			int len = bfs_cycle(g, &S, s, r, only, path);
			if (len && (!bn || len < bn)) {
				bn = len;
				memcpy(best, path, (size_t)len * sizeof *path);
			}
		}
		if (!bn)
			continue;
		uint32_t cls[MAX_CYCLE];
		for (int i = 0; i < bn; i++) {
			cls[i] = g->e[best[i]].from;
			covered[best[i]] = 1;
		}
		uint64_t id = cycle_id(cls, bn);
		size_t slot = id & (seen_cap - 1);
		while (seen[slot] && seen[slot] != id)
			slot = (slot + 1) & (seen_cap - 1);
		if (seen[slot])
			continue;
		seen[slot] = id;
		report_cycle(g, best, bn, out, jf, &fd[found]);
		if (bf)
			fprintf(bf, "%s circular %s\n", fd[found].fp, fd[found].message + strlen("WARNING: possible circular "
												  "locking dependency detected: "));
		found++;
	}
	free(covered);
	if (S.too_long)
		fprintf(stderr, "ulockdep: %s: %lu cycle search%s found only cycles longer than %d classes, not reported\n",
			g->path, S.too_long, S.too_long == 1 ? "" : "es", MAX_CYCLE);
	if (bounded || found == MAX_REPORTS)
		fprintf(stderr, "ulockdep: %s: the cycle search stopped early (bounded work); more cycles may exist\n",
			g->path);
	if (sarif) {
		FILE *sf = db_create_out(sarif);
		if (sf) {
			write_sarif(sf, fd, found);
			fclose(sf);
		}
	}
	if (jf)
		fclose(jf);
	if (bf)
		fclose(bf);
	free(S.mark);
	free(S.parent);
	free(S.queue);
	free(seen);
	free(fd);
	return found;
}

/* ---- export: the --graph format `ulockdep graph` reads ---- */

static void dot_str(FILE *f, const char *s)
{
	for (; *s; s++) {
		size_t n = ul_utf8_len((const unsigned char *)s);
		if (!n) {
			fprintf(f, "\\\\x%02X", (unsigned char)*s);
			continue;
		}
		if (*s == '"' || *s == '\\')
			fputc('\\', f);
		fputc((unsigned char)*s < 0x20 ? ' ' : *s, f);
	}
}

static bool in_cycle(const struct db_graph *g, const struct gedge *e)
{
	return g->scc[e->from] == g->scc[e->to] && g->scc_size[g->scc[e->from]] > 1;
}

int graph_export(struct db_graph *g, bool dot, const char *out)
{
	char *used = xcalloc(g->n, 1);
	for (uint32_t k = 0; k < g->ne; k++)
		used[g->e[k].from] = used[g->e[k].to] = 1;
	/* ulockdep graph FILE.json renders the FILE.dot next to it */
	char dotpath[4096];
	size_t len = strlen(out);
	if (len + 1 > sizeof dotpath) {
		fprintf(stderr, "ulockdep: %s: path too long\n", out);
		free(used);
		return -1;
	}
	if (dot)
		snprintf(dotpath, sizeof dotpath, "%s", out);
	else if (len > 5 && !strcmp(out + len - 5, ".json"))
		snprintf(dotpath, sizeof dotpath, "%.*s.dot", (int)(len - 5), out);
	else
		dotpath[0] = 0;
	FILE *d = dotpath[0] ? db_create_out(dotpath) : NULL, *j = dot ? NULL : db_create_out(out);
	if ((dotpath[0] && !d) || (!dot && !j)) {
		free(used);
		return -1;
	}
	if (d) {
		fputs("digraph ulockdep {\n  node [shape=box, fontname=\"monospace\"];\n", d);
		for (uint32_t i = 0; i < g->n; i++)
			if (used[i]) {
				fprintf(d, "  n%u [label=\"", i + 1);
				dot_str(d, g->name[i]);
				fputs("\"];\n", d);
			}
		for (uint32_t k = 0; k < g->ne; k++)
			fprintf(d, "  n%u -> n%u%s;\n", g->e[k].from + 1, g->e[k].to + 1,
				in_cycle(g, &g->e[k]) ? " [color=red, penwidth=2]" : "");
		fputs("}\n", d);
		fclose(d);
	}
	if (j) {
		fputs("{\"classes\":[", j);
		bool first = true;
		for (uint32_t i = 0; i < g->n; i++)
			if (used[i]) {
				fprintf(j, "%s{\"id\":%u,\"name\":", first ? "" : ",", i + 1);
				json_str(j, g->name[i]);
				fputs(",\"key\":", j);
				json_str(j, g->key[i]);
				fputs(",\"locks\":0,\"instance\":false}", j);
				first = false;
			}
		fputs("],\"edges\":[", j);
		for (uint32_t k = 0; k < g->ne; k++) {
			const struct gedge *e = &g->e[k];
			fprintf(j, "%s{\"from\":%u,\"to\":%u,\"hits\":1,\"types\":%u,\"in_cycle\":%s,\"stack\":[", k ? "," : "",
				e->from + 1, e->to + 1, e->types, in_cycle(g, e) ? "true" : "false");
			char *st = edge_stack(g, e);
			int f = 0;
			for (char *line = st, *nl; *line; line = nl ? nl + 1 : line + strlen(line), f++) {
				nl = strchr(line, '\n');
				if (nl)
					*nl = 0;
				fputs(f ? "," : "", j);
				json_str(j, line);
			}
			free(st);
			fputs("]}", j);
		}
		fputs("]}\n", j);
		fclose(j);
	}
	free(used);
	return 0;
}
