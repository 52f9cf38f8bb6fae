/* The HTML report: one self-contained page (no network, works from
 * file://) with the summary, every report (kernel text, stacks, the cycle
 * drawn, a suppression rule), the class graph as inline SVG and the lock
 * statistics as a sortable table. The graph is laid out by Graphviz 'dot'
 * when it is installed, else by the simple layered layout below. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../common/utf8.h"
#include "db.h"
#include "html.h"

struct list {
	struct jv **v;
	int n, cap;
};

struct page {
	struct list docs;    /* every parsed document, freed at the end */
	struct list runs, reports, stats, graphs;
	char **dots;         /* per graph: its .dot next to it, or NULL */
	char tmpdir[64];     /* what a graph database input was turned into */
};

static void push(struct list *l, struct jv *v)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = realloc(l->v, (size_t)l->cap * sizeof *l->v);
		if (!l->v) {
			perror("ulockdep html");
			exit(1);
		}
	}
	l->v[l->n++] = v;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 65536, len = 0;
	char *buf = malloc(cap);
	size_t r;
	while (buf && (r = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += r;
		if (len + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	if (buf)
		buf[len] = 0;
	return buf;
}

/* Sort one document into the page by what it holds. */
static bool classify(struct page *pg, struct jv *v, const char *path)
{
	if (!v || v->type != JV_OBJ)
		return false;
	if (jv_get(v, "kind") && jv_get(v, "report")) {
		push(&pg->reports, v);
	} else if (jv_get(v, "lock_stat")) {
		push(&pg->stats, jv_get(v, "lock_stat"));
	} else if (jv_get(v, "run")) {
		push(&pg->runs, jv_get(v, "run"));
	} else if (jv_get(v, "classes") && jv_get(v, "edges")) {
		push(&pg->graphs, v);
		pg->dots = realloc(pg->dots, (size_t)pg->graphs.cap * sizeof *pg->dots);
		if (!pg->dots) {
			perror("ulockdep html");
			exit(1);
		}
		char *dot = strdup(path);
		size_t n = strlen(dot);
		if (n > 5 && !strcmp(dot + n - 5, ".json")) {
			strcpy(dot + n - 5, ".dot");
		} else {
			free(dot);
			dot = NULL;
		}
		pg->dots[pg->graphs.n - 1] = dot;
	} else {
		return false;
	}
	push(&pg->docs, v);
	return true;
}

static int load(struct page *pg, const char *path);

/* A graph database: its graph (db export --json) and its cycles (db check
 * --json), through files in a private directory removed at the end. */
static int load_db(struct page *pg, const char *path)
{
	if (!pg->tmpdir[0]) {
		snprintf(pg->tmpdir, sizeof pg->tmpdir, "/tmp/ulockdep-htmldb-XXXXXX");
		if (!mkdtemp(pg->tmpdir)) {
			pg->tmpdir[0] = 0;
			perror("ulockdep html: mkdtemp");
			return -1;
		}
	}
	static int seq;
	char gj[128], cj[128];
	seq++;
	snprintf(gj, sizeof gj, "%s/graph%d.json", pg->tmpdir, seq);
	snprintf(cj, sizeof cj, "%s/check%d.json", pg->tmpdir, seq);
	sqlite3 *db = db_open(path, false, 10000);
	if (!db)
		return -1;
	struct db_graph *g = graph_load(db, path);
	int r = g && graph_export(g, false, gj) == 0 && graph_check(g, NULL, cj, NULL, NULL) >= 0 ? 0 : -1;
	graph_free(g);
	sqlite3_close(db);
	if (r)
		return -1;
	int a = load(pg, gj), b = load(pg, cj);
	return a < 0 || b < 0 ? -1 : a + b;
}

static bool is_sqlite(const char *path)
{
	char h[16] = "";
	FILE *f = fopen(path, "rb");
	bool yes = f && fread(h, 1, 16, f) == 16 && !memcmp(h, "SQLite format 3", 16);
	if (f)
		fclose(f);
	return yes;
}

static void rm_tmpdir(struct page *pg)
{
	if (!pg->tmpdir[0])
		return;
	DIR *d = opendir(pg->tmpdir);
	for (struct dirent *e; d && (e = readdir(d));)
		if (e->d_name[0] != '.') {
			char p[400];
			snprintf(p, sizeof p, "%s/%s", pg->tmpdir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(pg->tmpdir);
	pg->tmpdir[0] = 0;
}

/* A file is one JSON document or JSON lines, or a graph database. */
static int load(struct page *pg, const char *path)
{
	if (is_sqlite(path))
		return load_db(pg, path);
	char *s = slurp(path);
	if (!s) {
		fprintf(stderr, "ulockdep html: %s: %s\n", path, strerror(errno));
		return -1;
	}
	const char *end;
	struct jv *v = jv_parse(s, &end);
	int known = 0, unknown = 0;
	if (v && !*end) {
		if (classify(pg, v, path))
			known++;
		else
			jv_free(v), unknown++;
	} else {
		jv_free(v);
		for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
			v = jv_parse(line, &end);
			if (v && !*end && classify(pg, v, path))
				known++;
			else
				jv_free(v), unknown += line[strspn(line, " \t\r")] != 0;
		}
	}
	free(s);
	if (unknown)
		fprintf(stderr, "ulockdep html: %s: %d record%s not recognised, skipped\n", path, unknown,
			unknown == 1 ? "" : "s");
	return known;
}

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		if (!ul_utf8_len((const unsigned char *)s)) {
			fprintf(f, "\\x%02X", (unsigned char)*s);
			continue;
		}
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

/* ---- graph drawing ---- */

struct gnode {
	int id;
	const char *name;
	int layer, pos;
	double x, y, w, bary;
	bool cycle;
};
struct gedge {
	int from, to; /* node indices */
	int hits;
	bool cycle, back;
};
struct graph {
	struct gnode *n;
	struct gedge *e;
	int nn, ne;
};

#define NODE_H 28
#define LAYER_GAP 90
#define NODE_GAP 36

static double text_w(const char *s)
{
	return 7.3 * (double)strlen(s) + 18;
}

static int node_index(const struct graph *g, int id)
{
	for (int i = 0; i < g->nn; i++)
		if (g->n[i].id == id)
			return i;
	return -1;
}

/* Mark edges that close a cycle in depth-first order (they are drawn
 * upwards). Iterative, over out-edge lists: graphs of thousands of classes. */
static void mark_back_edges(struct graph *g, const int *start, const int *out)
{
	int *next = calloc((size_t)g->nn + 1, sizeof *next), *stack = malloc(sizeof *stack * (size_t)(g->nn + 1));
	char *state = calloc((size_t)g->nn + 1, 1);
	for (int root = 0; root < g->nn; root++) {
		if (state[root])
			continue;
		int sp = 0;
		stack[sp++] = root;
		state[root] = 1;
		while (sp) {
			int v = stack[sp - 1];
			if (start[v] + next[v] == start[v + 1]) {
				state[v] = 2;
				sp--;
				continue;
			}
			struct gedge *e = &g->e[out[start[v] + next[v]++]];
			if (state[e->to] == 1) {
				e->back = true;
			} else if (!state[e->to]) {
				state[e->to] = 1;
				stack[sp++] = e->to;
			}
		}
	}
	free(next);
	free(stack);
	free(state);
}

static int cmp_layer_bary(const void *a, const void *b)
{
	const struct gnode *x = *(struct gnode *const *)a, *y = *(struct gnode *const *)b;
	if (x->layer != y->layer)
		return x->layer - y->layer;
	return x->bary < y->bary ? -1 : x->bary > y->bary ? 1 : x->id - y->id;
}

/* Layers by longest path over the forward edges, then a few barycenter
 * sweeps to reduce crossings, then coordinates. Returns width, height. */
static void layout(struct graph *g, double *width, double *height)
{
	/* out-edges by source node (start[v]..start[v+1] in out) */
	int *start = calloc((size_t)g->nn + 2, sizeof *start), *out = malloc(sizeof *out * (size_t)(g->ne + 1));
	int *fill = calloc((size_t)g->nn + 1, sizeof *fill);
	for (int i = 0; i < g->ne; i++)
		start[g->e[i].from + 1]++;
	for (int v = 0; v < g->nn; v++)
		start[v + 1] += start[v];
	for (int i = 0; i < g->ne; i++)
		out[start[g->e[i].from] + fill[g->e[i].from]++] = i;
	free(fill);
	mark_back_edges(g, start, out);
	/* longest path: Kahn's order over the forward edges */
	int *indeg = calloc((size_t)g->nn + 1, sizeof *indeg), *queue = malloc(sizeof *queue * (size_t)(g->nn + 1));
	for (int v = 0; v < g->nn; v++) {
		g->n[v].layer = 0;
		g->n[v].w = text_w(g->n[v].name);
	}
	for (int i = 0; i < g->ne; i++)
		if (!g->e[i].back && g->e[i].from != g->e[i].to)
			indeg[g->e[i].to]++;
	int qh = 0, qt = 0;
	for (int v = 0; v < g->nn; v++)
		if (!indeg[v])
			queue[qt++] = v;
	while (qh < qt) {
		int v = queue[qh++];
		for (int k = start[v]; k < start[v + 1]; k++) {
			struct gedge *e = &g->e[out[k]];
			if (e->back || e->to == v)
				continue;
			if (g->n[e->to].layer < g->n[v].layer + 1)
				g->n[e->to].layer = g->n[v].layer + 1;
			if (--indeg[e->to] == 0)
				queue[qt++] = e->to;
		}
	}
	free(indeg);
	free(queue);
	free(start);
	free(out);
	int layers = 0;
	for (int v = 0; v < g->nn; v++)
		if (g->n[v].layer + 1 > layers)
			layers = g->n[v].layer + 1;
	/* order within layers: barycenters of the neighbours in the layer
	 * above (odd sweeps) or below (even sweeps) */
	struct gnode **ord = malloc(sizeof *ord * (size_t)(g->nn + 1));
	double *sum = calloc((size_t)g->nn + 1, sizeof *sum);
	int *cnt = calloc((size_t)g->nn + 1, sizeof *cnt);
	for (int v = 0; v < g->nn; v++) {
		g->n[v].pos = v;
		g->n[v].bary = v;
		ord[v] = &g->n[v];
	}
	for (int sweep = 0; sweep <= 6; sweep++) {
		if (sweep) {
			memset(sum, 0, sizeof *sum * (size_t)g->nn);
			memset(cnt, 0, sizeof *cnt * (size_t)g->nn);
			for (int i = 0; i < g->ne; i++) {
				int a = g->e[i].from, b = g->e[i].to;
				if (g->n[a].layer == g->n[b].layer)
					continue;
				int up = g->n[a].layer < g->n[b].layer ? a : b, down = up == a ? b : a;
				int at = sweep % 2 ? down : up, from = sweep % 2 ? up : down;
				sum[at] += g->n[from].pos;
				cnt[at]++;
			}
			for (int v = 0; v < g->nn; v++)
				g->n[v].bary = cnt[v] ? sum[v] / cnt[v] : g->n[v].pos;
		}
		qsort(ord, (size_t)g->nn, sizeof *ord, cmp_layer_bary);
		for (int i = 0, p = 0; i < g->nn; i++) {
			p = i && ord[i]->layer == ord[i - 1]->layer ? p + 1 : 0;
			ord[i]->pos = p;
		}
	}
	free(sum);
	free(cnt);
	double maxw = 0;
	double *lw = calloc((size_t)layers + 1, sizeof *lw);
	for (int v = 0; v < g->nn; v++)
		lw[g->n[v].layer] += g->n[v].w + NODE_GAP;
	for (int l = 0; l < layers; l++)
		if (lw[l] > maxw)
			maxw = lw[l];
	double x = 0;
	for (int i = 0; i < g->nn; i++) { /* ord is by layer, then position */
		struct gnode *n = ord[i];
		if (!i || n->layer != ord[i - 1]->layer)
			x = 20 + (maxw - lw[n->layer]) / 2;
		n->x = x + NODE_GAP / 2.0;
		n->y = 30 + n->layer * LAYER_GAP;
		x += n->w + NODE_GAP;
	}
	free(lw);
	free(ord);
	*width = maxw + 80;
	*height = 50 + (layers - 1) * LAYER_GAP + NODE_H;
}

static void svg_defs(FILE *f)
{
	fputs("<defs><marker id=\"arr\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#555\"/>"
	      "</marker><marker id=\"arrc\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" "
	      "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#d00\"/>"
	      "</marker></defs>\n", f);
}

static void svg_node(FILE *f, const struct gnode *n)
{
	fprintf(f, "<g class=\"node%s\"><title>", n->cycle ? " cycle" : "");
	esc(f, n->name);
	fprintf(f, "</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" rx=\"5\"/>"
		   "<text x=\"%.1f\" y=\"%.1f\">", n->x, n->y, n->w, NODE_H, n->x + n->w / 2, n->y + NODE_H / 2.0 + 4);
	esc(f, n->name);
	fputs("</text></g>\n", f);
}

static void svg_edge(FILE *f, const struct graph *g, const struct gedge *e, bool label)
{
	const struct gnode *a = &g->n[e->from], *b = &g->n[e->to];
	double x1 = a->x + a->w / 2, x2 = b->x + b->w / 2, y1, y2, c1x, c1y, c2x, c2y;
	if (e->from == e->to) {
		y1 = a->y + 6;
		fprintf(f, "<path class=\"edge%s\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" marker-end=\"url(#%s)\"/>\n",
			e->cycle ? " cycle" : "", a->x + a->w, y1, a->x + a->w + 40, y1 - 20, a->x + a->w + 40,
			y1 + 36, a->x + a->w, y1 + 16, e->cycle ? "arrc" : "arr");
		return;
	}
	if (b->layer > a->layer) {
		y1 = a->y + NODE_H, y2 = b->y;
		c1x = x1, c1y = y1 + 40, c2x = x2, c2y = y2 - 40;
	} else { /* back edge or same layer: bend to the right */
		y1 = a->y, y2 = b->y + NODE_H;
		double bend = 50 + 10 * (a->layer - b->layer);
		c1x = x1 + bend, c1y = y1 - 40, c2x = x2 + bend, c2y = y2 + 40;
		if (a->layer == b->layer)
			y1 = a->y + NODE_H, y2 = b->y + NODE_H, c1y = y1 + 45, c2y = y2 + 45, c1x = x1, c2x = x2;
	}
	fprintf(f, "<path class=\"edge%s\" d=\"M%.1f,%.1f C%.1f,%.1f %.1f,%.1f %.1f,%.1f\" marker-end=\"url(#%s)\"/>\n",
		e->cycle ? " cycle" : "", x1, y1, c1x, c1y, c2x, c2y, x2, y2, e->cycle ? "arrc" : "arr");
	if (label && e->hits > 0)
		fprintf(f, "<text class=\"hits\" x=\"%.1f\" y=\"%.1f\">%d</text>\n", (x1 + x2 + c1x + c2x) / 4 + 6,
			(y1 + y2 + c1y + c2y) / 4, e->hits);
}

static void svg_graph(FILE *f, struct graph *g, const char *cls)
{
	double w, h;
	layout(g, &w, &h);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\">\n", cls, w, h, w, h);
	svg_defs(f);
	for (int i = 0; i < g->ne; i++)
		svg_edge(f, g, &g->e[i], true);
	for (int i = 0; i < g->nn; i++)
		svg_node(f, &g->n[i]);
	fputs("</svg>\n", f);
}

static struct graph graph_from_json(const struct jv *gj)
{
	struct graph g = { 0 };
	int nc = 0, ne = 0, maxid = 0;
	const struct jv *classes = jv_get(gj, "classes"), *edges = jv_get(gj, "edges");
	for (struct jv *c = classes ? classes->child : NULL; c; c = c->next, nc++)
		if (jv_num(c, "id") > maxid && jv_num(c, "id") < 1 << 26)
			maxid = (int)jv_num(c, "id");
	for (struct jv *e = edges ? edges->child : NULL; e; e = e->next)
		ne++;
	g.n = calloc((size_t)nc + 1, sizeof *g.n);
	g.e = calloc((size_t)ne + 1, sizeof *g.e);
	int *index = malloc(sizeof *index * ((size_t)maxid + 1));
	for (int i = 0; i <= maxid; i++)
		index[i] = -1;
	for (struct jv *c = classes ? classes->child : NULL; c; c = c->next) {
		double id = jv_num(c, "id");
		if (id < 0 || id > maxid || index[(int)id] >= 0)
			continue;
		index[(int)id] = g.nn;
		g.n[g.nn].id = (int)id;
		g.n[g.nn++].name = jv_str(c, "name");
	}
	for (struct jv *e = edges ? edges->child : NULL; e; e = e->next) {
		double from = jv_num(e, "from"), to = jv_num(e, "to");
		if (from < 0 || from > maxid || to < 0 || to > maxid || index[(int)from] < 0 || index[(int)to] < 0)
			continue;
		int a = index[(int)from], b = index[(int)to];
		struct gedge *x = &g.e[g.ne++];
		x->from = a, x->to = b, x->hits = (int)jv_num(e, "hits");
		x->cycle = jv_num(e, "in_cycle") != 0;
		if (x->cycle)
			g.n[a].cycle = g.n[b].cycle = true;
	}
	free(index);
	return g;
}

/* Graphviz's own SVG of the .dot file, without its XML prologue. dot runs
 * with none of ulockdep's variables (it must not run under ulockdep and
 * write into the program's outputs), for at most DOT_SECONDS. */
void ul_helper_env(void)
{
	static const char *const vars[] = { "LD_PRELOAD", "ULOCKDEP_OPTIONS", "ULOCKDEP_FDS", "ULOCKDEP_GRAPH_DIR",
					    "ULOCKDEP_GRAPH_SNAPSHOT" };
	for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
		unsetenv(vars[i]);
}

#define DOT_MAX_CLASSES 300
#define DOT_SECONDS 20
static bool dot_svg(FILE *f, const char *dot_path)
{
	const char *dot = getenv("ULOCKDEP_DOT");
	if (dot && (!*dot || !strcmp(dot, "none")))
		return false;
	if (!dot_path || access(dot_path, R_OK))
		return false;
	if (!dot && system("command -v dot >/dev/null 2>&1"))
		return false;
	int pfd[2];
	if (pipe(pfd))
		return false;
	pid_t pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return false;
	}
	if (pid == 0) {
		ul_helper_env();
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
		alarm(DOT_SECONDS);
		execlp(dot ? dot : "dot", "dot", "-Tsvg", dot_path, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	FILE *p = fdopen(pfd[0], "r");
	size_t cap = 65536, len = 0, r;
	char *buf = p ? malloc(cap) : NULL;
	while (buf && (r = fread(buf + len, 1, cap - len - 1, p)) > 0)
		if ((len += r) + 1 == cap)
			buf = realloc(buf, cap *= 2);
	if (p)
		fclose(p);
	else
		close(pfd[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!buf)
		return false;
	buf[len] = 0;
	char *s = strstr(buf, "<svg");
	bool ok = s && WIFEXITED(st) && !WEXITSTATUS(st);
	if (ok)
		fputs(s, f);
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM)
		fprintf(stderr, "ulockdep html: Graphviz took longer than %d s; the built-in layout is used\n", DOT_SECONDS);
	free(buf);
	return ok;
}

/* A report's cycle: its classes in a ring, the dependencies among them
 * from the graph when there is one, else in report order. */
static void cycle_svg(FILE *f, const struct jv *rep, const struct jv *gj)
{
	const struct jv *locks = jv_get(rep, "locks");
	int n = 0;
	for (struct jv *l = locks ? locks->child : NULL; l; l = l->next)
		n += l->type == JV_STR;
	if (n < 2)
		return;
	struct graph g = { calloc((size_t)n, sizeof(struct gnode)), calloc((size_t)n * n + 1, sizeof(struct gedge)), 0, 0 };
	for (struct jv *l = locks->child; l; l = l->next)
		if (l->type == JV_STR) {
			g.n[g.nn].name = l->str;
			g.n[g.nn].cycle = true;
			g.n[g.nn].w = text_w(l->str);
			g.n[g.nn].id = -1;
			g.nn++;
		}
	/* class ids by name, then the graph's edges among them */
	for (struct jv *c = gj && jv_get(gj, "classes") ? jv_get(gj, "classes")->child : NULL; c; c = c->next)
		for (int i = 0; i < n; i++)
			if (!strcmp(g.n[i].name, jv_str(c, "name")))
				g.n[i].id = (int)jv_num(c, "id");
	for (struct jv *e = gj && jv_get(gj, "edges") ? jv_get(gj, "edges")->child : NULL; e; e = e->next) {
		int a = node_index(&g, (int)jv_num(e, "from")), b = node_index(&g, (int)jv_num(e, "to"));
		if (a >= 0 && b >= 0 && a != b && g.n[a].id >= 0)
			g.e[g.ne++] = (struct gedge){ a, b, (int)jv_num(e, "hits"), true, false };
	}
	if (!g.ne) /* locks[0] is the lock being taken, the others the chain back to it */
		for (int i = 0; i < n; i++)
			g.e[g.ne++] = (struct gedge){ (i + 1) % n, i, 0, true, false };
	/* a ring from the left, clockwise; then the box around it */
	double r = 60 + 22.0 * n, minx = 1e9, miny = 1e9, maxx = 0, maxy = 0;
	for (int i = 0; i < n; i++) {
		double a = 3.14159265 + 6.2831853 * i / n;
		g.n[i].x = r * 1.6 * cos(a) - g.n[i].w / 2;
		g.n[i].y = r * sin(a) - NODE_H / 2.0;
		minx = fmin(minx, g.n[i].x), miny = fmin(miny, g.n[i].y);
	}
	for (int i = 0; i < n; i++) {
		g.n[i].x += 20 - minx, g.n[i].y += 40 - miny;
		maxx = fmax(maxx, g.n[i].x + g.n[i].w), maxy = fmax(maxy, g.n[i].y + NODE_H);
	}
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"cycle-svg\" width=\"%.0f\" height=\"%.0f\">\n",
		maxx + 20, maxy + 40);
	svg_defs(f);
	for (int i = 0; i < g.ne; i++) {
		const struct gnode *a = &g.n[g.e[i].from], *b = &g.n[g.e[i].to];
		double x1 = a->x + a->w / 2, y1 = a->y + NODE_H / 2.0, x2 = b->x + b->w / 2, y2 = b->y + NODE_H / 2.0;
		/* stop at the box edges, bend a little so A->B and B->A both show */
		double dx = x2 - x1, dy = y2 - y1, len = sqrt(dx * dx + dy * dy) + 1e-9;
		double ux = dx / len, uy = dy / len;
		double t1 = NODE_H / 2.0 / (fabs(uy) + 1e-9), t2 = a->w / 2 / (fabs(ux) + 1e-9);
		double s1 = (t1 < t2 ? t1 : t2) + 4;
		t2 = b->w / 2 / (fabs(ux) + 1e-9);
		double s2 = (t1 < t2 ? t1 : t2) + 4;
		double mx = (x1 + x2) / 2 - uy * 30, my = (y1 + y2) / 2 + ux * 30;
		fprintf(f, "<path class=\"edge cycle\" d=\"M%.1f,%.1f Q%.1f,%.1f %.1f,%.1f\" marker-end=\"url(#arrc)\"/>\n",
			x1 + ux * s1, y1 + uy * s1, mx, my, x2 - ux * s2, y2 - uy * s2);
	}
	for (int i = 0; i < n; i++)
		svg_node(f, &g.n[i]);
	fputs("</svg>\n", f);
	free(g.n);
	free(g.e);
}

/* ---- page ---- */

static const char *css =
	"body{font:14px/1.4 system-ui,sans-serif;margin:0 2em 3em;color:#222}"
	"h1{font-size:1.5em}h2{margin-top:2em;border-bottom:1px solid #ccc}"
	"pre{background:#f6f6f6;padding:.6em;overflow:auto;font:12px/1.35 monospace}"
	".report{border:1px solid #ddd;border-left:5px solid #c33;padding:0 1em 1em;margin:1em 0}"
	".kind{font-weight:bold;color:#c33}code.rule{background:#fff4d6;padding:.2em .4em}"
	"svg .node rect{fill:#eef3ff;stroke:#468}svg .node.cycle rect{fill:#ffecec;stroke:#d00;stroke-width:2}"
	"svg text{font:12px monospace;text-anchor:middle}svg text.hits{fill:#777;font-size:10px;text-anchor:start}"
	"svg .edge{fill:none;stroke:#555;stroke-width:1.3}svg .edge.cycle{stroke:#d00;stroke-width:2.5}"
	".graph{overflow:auto;border:1px solid #ddd;padding:.5em}"
	"table{border-collapse:collapse;font:12px monospace}th,td{border:1px solid #ccc;padding:.2em .5em;text-align:right}"
	"th{background:#eee;cursor:pointer;user-select:none}td:first-child,th:first-child,td.pts{text-align:left}"
	"td:first-child,td.pts{white-space:nowrap}.tablebox{overflow:auto}"
	"th.asc:after{content:' \\25b2'}th.desc:after{content:' \\25bc'}"
	".summary td,.summary th{text-align:left}details{margin:.3em 0}";

static const char *js =
	"document.querySelectorAll('table.sortable').forEach(function(t){"
	"t.querySelectorAll('th').forEach(function(th,i){th.addEventListener('click',function(){"
	"var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=!th.classList.contains('asc');"
	"t.querySelectorAll('th').forEach(function(h){h.classList.remove('asc','desc')});"
	"th.classList.add(asc?'asc':'desc');"
	"rows.sort(function(x,y){var a=x.cells[i],c=y.cells[i],r;"
	"if(a.dataset.v!==undefined&&c.dataset.v!==undefined)r=parseFloat(a.dataset.v)-parseFloat(c.dataset.v);"
	"else r=a.textContent.localeCompare(c.textContent);return asc?r:-r});"
	"rows.forEach(function(r){b.appendChild(r)})})})});"
	/* #sort-N or #sort-N-desc in the address sorts by column N on load */
	"var m=/^#sort-(\\d+)(-desc)?$/.exec(location.hash),h;"
	"if(m&&(h=document.querySelectorAll('table.sortable th')[+m[1]])){h.click();if(m[2])h.click();}";

static void summary(FILE *f, struct page *pg)
{
	fputs("<h2 id=\"summary\">Summary</h2>\n<table class=\"summary\">\n", f);
	if (!pg->runs.n)
		fprintf(f, "<tr><th>reports</th><td>%d</td></tr>\n", pg->reports.n);
	for (int i = 0; i < pg->runs.n; i++) {
		struct jv *r = pg->runs.v[i];
		fputs("<tr><th>program</th><td>", f);
		esc(f, jv_str(r, "program"));
		fprintf(f, " (pid %.0f)</td></tr>\n<tr><th>reports</th><td>%.0f (%.0f suppressed)</td></tr>\n"
			   "<tr><th>lock classes / dependencies / chains / lock objects</th><td>%.0f / %.0f / %.0f / %.0f</td></tr>\n",
			jv_num(r, "pid"), jv_num(r, "reports"), jv_num(r, "suppressed"), jv_num(r, "classes"),
			jv_num(r, "dependencies"), jv_num(r, "chains"), jv_num(r, "lock_objects"));
		if (!jv_num(r, "validate"))
			fputs("<tr><th>validation</th><td>off (--no-validate)</td></tr>\n", f);
	}
	/* reports by kind */
	const char *kinds[64];
	int counts[64], nk = 0;
	for (int i = 0; i < pg->reports.n; i++) {
		const char *k = jv_str(pg->reports.v[i], "kind");
		int j = 0;
		while (j < nk && strcmp(kinds[j], k))
			j++;
		if (j == nk && nk < 64)
			kinds[nk] = k, counts[nk++] = 0;
		if (j < nk)
			counts[j]++;
	}
	for (int j = 0; j < nk; j++) {
		fputs("<tr><th>", f);
		esc(f, kinds[j]);
		fprintf(f, "</th><td>%d</td></tr>\n", counts[j]);
	}
	fputs("</table>\n", f);
}

static bool has_class(const struct jv *g, const char *name)
{
	for (struct jv *c = jv_get(g, "classes") ? jv_get(g, "classes")->child : NULL; c; c = c->next)
		if (!strcmp(jv_str(c, "name"), name))
			return true;
	return false;
}

/* The graph (of several processes') that has every class of a report. */
static const struct jv *graph_with(struct page *pg, const struct jv *locks)
{
	for (int i = pg->graphs.n; i-- > 0;) {
		bool all = true;
		for (struct jv *l = locks ? locks->child : NULL; l && all; l = l->next)
			all = l->type == JV_STR && has_class(pg->graphs.v[i], l->str);
		if (all)
			return pg->graphs.v[i];
	}
	return NULL;
}

static void reports(FILE *f, struct page *pg)
{
	fprintf(f, "<h2 id=\"reports\">Reports (%d)</h2>\n", pg->reports.n);
	if (!pg->reports.n)
		fputs("<p>No reports.</p>\n", f);
	for (int i = 0; i < pg->reports.n; i++) {
		struct jv *r = pg->reports.v[i];
		fprintf(f, "<div class=\"report\" id=\"report-%d\">\n<h3><span class=\"kind\">", i + 1);
		esc(f, jv_str(r, "kind"));
		fputs("</span> ", f);
		esc(f, jv_str(r, "message"));
		fputs("</h3>\n<p>thread ", f);
		esc(f, jv_str(r, "thread"));
		fputs(", program ", f);
		esc(f, jv_str(r, "program"));
		fprintf(f, " (pid %.0f)</p>\n", jv_num(r, "pid"));
		if (!strcmp(jv_str(r, "kind"), "circular") || !strcmp(jv_str(r, "kind"), "context_order") ||
		    !strcmp(jv_str(r, "kind"), "deadlock") || !strcmp(jv_str(r, "kind"), "wait"))
			cycle_svg(f, r, graph_with(pg, jv_get(r, "locks")));
		fputs("<pre class=\"kernel\">", f);
		esc(f, jv_str(r, "report"));
		fputs("</pre>\n", f);
		struct jv *st = jv_get(r, "stacks");
		for (struct jv *s = st ? st->child : NULL; s; s = s->next) {
			fputs("<details><summary>stack: ", f);
			esc(f, jv_str(s, "label"));
			fputs("</summary><pre>", f);
			struct jv *fr = jv_get(s, "frames");
			for (struct jv *x = fr ? fr->child : NULL; x; x = x->next) {
				esc(f, x->str);
				fputc('\n', f);
			}
			fputs("</pre></details>\n", f);
		}
		if (*jv_str(r, "suppression")) {
			fputs("<p>Suppression rule: <code class=\"rule\">", f);
			esc(f, jv_str(r, "suppression"));
			fputs("</code></p>\n", f);
		}
		fputs("</div>\n", f);
	}
}

static void time_cell(FILE *f, double ns)
{
	fprintf(f, "<td data-v=\"%.0f\">%.2f</td>", ns, ns / 1000);
}

static void stat_row(FILE *f, const struct jv *c, const char *mode, const char *suffix)
{
	const struct jv *m = jv_get(c, mode);
	if (!m)
		return;
	fputs("<tr><td>", f);
	esc(f, jv_str(c, "name"));
	esc(f, suffix);
	fprintf(f, "</td><td data-v=\"%.0f\">%.0f</td><td data-v=\"%.0f\">%.0f</td>", jv_num(m, "con_bounces"),
		jv_num(m, "con_bounces"), jv_num(m, "contentions"), jv_num(m, "contentions"));
	time_cell(f, jv_num(m, "waittime_min_ns"));
	time_cell(f, jv_num(m, "waittime_max_ns"));
	time_cell(f, jv_num(m, "waittime_total_ns"));
	time_cell(f, jv_num(m, "waittime_avg_ns"));
	fprintf(f, "<td data-v=\"%.0f\">%.0f</td><td data-v=\"%.0f\">%.0f</td>", jv_num(m, "acq_bounces"),
		jv_num(m, "acq_bounces"), jv_num(m, "acquisitions"), jv_num(m, "acquisitions"));
	time_cell(f, jv_num(m, "holdtime_min_ns"));
	time_cell(f, jv_num(m, "holdtime_max_ns"));
	time_cell(f, jv_num(m, "holdtime_total_ns"));
	time_cell(f, jv_num(m, "holdtime_avg_ns"));
	fputs("<td class=\"pts\">", f);
	const struct jv *pts = jv_get(c, "contention_points");
	for (struct jv *p = pts ? pts->child : NULL; p; p = p->next) {
		fprintf(f, "%.0f&times; ", jv_num(p, "count"));
		esc(f, jv_str(p, "at"));
		fputs("<br>", f);
	}
	fputs("</td></tr>\n", f);
}

static void stats(FILE *f, struct page *pg)
{
	fputs("<h2 id=\"lock-stat\">Lock statistics</h2>\n", f);
	if (!pg->stats.n) {
		fputs("<p>No lock statistics in the input (run with --lock-stat or --html).</p>\n", f);
		return;
	}
	for (int i = 0; i < pg->stats.n; i++) {
		struct jv *s = pg->stats.v[i];
		fputs("<p>", f);
		esc(f, jv_str(s, "program"));
		fprintf(f, " (pid %.0f). Times in microseconds, as in the kernel's /proc/lock_stat. "
			   "Click a column to sort.</p>\n", jv_num(s, "pid"));
		fputs("<div class=\"tablebox\"><table class=\"sortable lockstat\"><thead><tr><th>class name</th><th>con-bounces</th>"
		      "<th>contentions</th><th>waittime-min</th><th>waittime-max</th><th>waittime-total</th>"
		      "<th>waittime-avg</th><th>acq-bounces</th><th>acquisitions</th><th>holdtime-min</th>"
		      "<th>holdtime-max</th><th>holdtime-total</th><th>holdtime-avg</th><th>contention points</th>"
		      "</tr></thead><tbody>\n", f);
		struct jv *cl = jv_get(s, "classes");
		for (struct jv *c = cl ? cl->child : NULL; c; c = c->next) {
			bool both = jv_get(c, "write") && jv_get(c, "read");
			stat_row(f, c, "write", both ? "-W" : "");
			stat_row(f, c, "read", both ? "-R" : "");
		}
		fputs("</tbody></table></div>\n", f);
	}
}

static void graph_section(FILE *f, struct page *pg)
{
	fputs("<h2 id=\"graph\">Lock class graph</h2>\n", f);
	if (!pg->graphs.n) {
		fputs("<p>No graph in the input (written by --graph or --html).</p>\n", f);
		return;
	}
	fputs("<p>An arrow A &rarr; B: B was taken while A was held. Edges of reported cycles are red.</p>\n", f);
	/* one per process (a program that runs others under --html); empty ones are left out */
	int shown = 0;
	for (int i = 0; i < pg->graphs.n; i++) {
		struct graph g = graph_from_json(pg->graphs.v[i]);
		if (g.nn) {
			fputs("<div class=\"graph\">\n", f);
			bool big = g.nn > DOT_MAX_CLASSES;
			if (big && pg->dots[i])
				fprintf(stderr, "ulockdep html: a graph of %d classes (more than %d): the built-in layout is "
						"used, not Graphviz\n", g.nn, DOT_MAX_CLASSES);
			if (big || !dot_svg(f, pg->dots[i]))
				svg_graph(f, &g, "class-graph");
			fputs("</div>\n", f);
			shown++;
		}
		free(g.n);
		free(g.e);
	}
	if (!shown)
		fputs("<p>The graph is empty.</p>\n", f);
}

static int write_page(FILE *f, struct page *pg)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>ulockdep report</title>\n"
	      "<style>", f);
	fputs(css, f);
	fputs("</style></head><body>\n<h1>ulockdep report</h1>\n<p><a href=\"#summary\">summary</a> &middot; "
	      "<a href=\"#reports\">reports</a> &middot; <a href=\"#graph\">graph</a> &middot; "
	      "<a href=\"#lock-stat\">lock statistics</a></p>\n", f);
	summary(f, pg);
	reports(f, pg);
	graph_section(f, pg);
	stats(f, pg);
	fputs("<script>", f);
	fputs(js, f);
	fputs("</script>\n</body></html>\n", f);
	return ferror(f) ? -1 : 0;
}

/* The page goes to a temporary file next to OUT, renamed over it: OUT is
 * never written through a symlink, and a non-regular OUT is left alone. */
int ul_html_build(const char *out, const char *const *inputs, int n)
{
	struct stat st;
	if (lstat(out, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "ulockdep html: %s exists and is not a regular file; not replacing it\n", out);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct stat a, b;
		if (!stat(out, &a) && !stat(inputs[i], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			fprintf(stderr, "ulockdep html: %s is an input too; not overwriting it\n", out);
			return 1;
		}
	}
	struct page pg = { 0 };
	int known = 0;
	for (int i = 0; i < n; i++) {
		int k = load(&pg, inputs[i]);
		if (k < 0) {
			rm_tmpdir(&pg);
			return 1;
		}
		known += k;
	}
	if (!known) {
		fprintf(stderr, "ulockdep html: no ulockdep reports, statistics or graph in the input\n");
		rm_tmpdir(&pg);
		return 1;
	}
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", out) >= (int)sizeof tmp) {
		fprintf(stderr, "ulockdep html: %s: path too long\n", out);
		return 1;
	}
	int fd = mkstemp(tmp);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "ulockdep html: %s: %s\n", out, strerror(errno));
		if (fd >= 0)
			close(fd), unlink(tmp);
		return 1;
	}
	mode_t um = umask(0);
	umask(um);
	fchmod(fd, 0666 & ~um);
	int r = write_page(f, &pg);
	rm_tmpdir(&pg);
	if (fclose(f) || r || rename(tmp, out)) {
		fprintf(stderr, "ulockdep html: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return 1;
	}
	for (int i = 0; i < pg.docs.n; i++)
		jv_free(pg.docs.v[i]);
	for (int i = 0; i < pg.graphs.n; i++)
		free(pg.dots[i]);
	free(pg.dots);
	free(pg.graphs.v);
	free(pg.docs.v);
	free(pg.runs.v);
	free(pg.reports.v);
	free(pg.stats.v);
	return 0;
}
