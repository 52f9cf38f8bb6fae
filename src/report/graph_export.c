#define _GNU_SOURCE
/* --graph FILE: the class dependency graph at exit, as FILE.dot and
 * FILE.json, with lock counts, edge hit counts, first-seen stacks, and the
 * edges of reported cycles marked. */
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "report_buf.h"
#include "symbols.h"

/* --html: the graph also goes to two files in the launcher's private
 * directory ([0] .dot, [1] .json); -1 while writing the --graph outputs. */
static int html_fd[2] = { -1, -1 };

static void put(int id, const char *s)
{
	if (html_fd[0] >= 0)
		ul_write_all(html_fd[id == UL_OUT_GJSON], s, strlen(s));
	else
		ul_out_put(id, s, strlen(s));
}

/* Valid in both DOT and JSON strings, and valid UTF-8. */
static void esc(char *out, size_t len, const char *s)
{
	ul_json_escape(out, len, s, strlen(s), NULL);
}

static void class_label(uint32_t node, char *buf, size_t len)
{
	struct ul_node *n = ul_node_get(node);
	char name[512];
	ul_class_format(ul_class_get(n->class_id), name, sizeof name);
	if (n->inst)
		snprintf(buf, len, "%s @%#lx", name, (unsigned long)n->addr);
	else
		snprintf(buf, len, "%s", name);
}

static void write_graph(void)
{
	char line[2400], a[600], b[600];
	const int dot = UL_OUT_DOT, js = UL_OUT_GJSON;
	put(dot, "digraph ulockdep {\n  node [shape=box, fontname=\"monospace\"];\n");
	put(js, "{\"classes\":[");
	uint32_t nn = ul_graph_node_ids();
	bool first = true;
	for (uint32_t i = 1; i <= nn; i++) {
		struct ul_node *n = ul_node_get(i);
		struct ul_class *c = ul_class_get(n->class_id);
		if (!c || (!n->inst && !atomic_load(&c->nlocks) && !n->first_in && !n->first_out))
			continue;
		class_label(i, a, sizeof a);
		esc(b, sizeof b, a);
		unsigned locks = n->inst ? 1 : atomic_load(&c->nlocks);
		static const char *const event_noun[] = { "condvar", "semaphore", "barrier", "thread exit",
							  "once-init", "event" };
		bool event = ul_kind_is_event(c->kind) && c->kind <= UL_KIND_EVENT; /* an ellipse */
		if (event)
			snprintf(line, sizeof line, "  n%u [label=\"%s\\n%s\", shape=ellipse];\n", i, b,
				 event_noun[c->kind - UL_KIND_COND]);
		else
			snprintf(line, sizeof line, "  n%u [label=\"%s\\n%u lock%s\"];\n", i, b, locks, locks == 1 ? "" : "s");
		put(dot, line);
		snprintf(line, sizeof line, "%s{\"id\":%u,\"name\":\"%s\",\"locks\":%u,\"instance\":%s,\"event\":%s}",
			 first ? "" : ",", i, b, locks, n->inst ? "true" : "false", event ? "true" : "false");
		put(js, line);
		first = false;
	}
	put(js, "],\"edges\":[");
	uint32_t ne = ul_graph_edge_ids();
	first = true;
	for (uint32_t i = 1; i <= ne; i++) {
		struct ul_edge *e = ul_edge_get(i);
		if (!e->from)
			continue; /* freed with its instance */
		snprintf(line, sizeof line, "  n%u -> n%u [label=\"%u\"%s];\n", e->from, e->to, e->hits,
			 e->in_cycle ? ", color=red, penwidth=2" : "");
		put(dot, line);
		snprintf(line, sizeof line, "%s{\"from\":%u,\"to\":%u,\"hits\":%u,\"types\":%u,\"in_cycle\":%s,\"stack\":[",
			 first ? "" : ",", e->from, e->to, e->hits, e->types, e->in_cycle ? "true" : "false");
		put(js, line);
		const struct ul_stack *st = ul_stack_get(e->stack);
		if (st)
			ul_sym_prefetch(st->pc, (int)st->n);
		for (uint32_t f = 0; st && f < st->n; f++) {
			ul_sym_frame(st->pc[f], a, sizeof a);
			esc(b, sizeof b, a);
			snprintf(line, sizeof line, "%s\"%s\"", f ? "," : "", b);
			put(js, line);
		}
		put(js, "]}");
		first = false;
	}
	put(dot, "}\n");
	put(js, "]}\n");
}

/* --html: DIR/graph.PID.{dot,json}, one pair per process (a program may run
 * others under the same options). */
static void export_html(void)
{
	const char *dir = ul_rt.opt.html_dir;
	char path[4200];
	if (!dir || !*dir || !atomic_load(&ul_rt.nclasses))
		return;
	for (int k = 0; k < 2; k++) {
		if (snprintf(path, sizeof path, "%s/graph.%d.%s", dir, ul_getpid(), k ? "json" : "dot") >= (int)sizeof path)
			break;
		html_fd[k] = ul_open_append(path);
	}
	if (html_fd[0] >= 0 && html_fd[1] >= 0)
		write_graph();
	for (int k = 0; k < 2; k++) {
		if (html_fd[k] >= 0)
			ul_close(html_fd[k]);
		html_fd[k] = -1;
	}
}

void ul_graph_export(void)
{
	export_html();
	/* a helper exec'ed by a child that took no lock writes no file of its own */
	if (!ul_out_enabled(UL_OUT_DOT) || (!ul_out_is_owner() && !atomic_load(&ul_rt.nclasses)))
		return;
	bool dot_ok = ul_out_begin(UL_OUT_DOT), js_ok = ul_out_begin(UL_OUT_GJSON);
	if (!dot_ok && !js_ok)
		return;
	write_graph();
	ul_out_end(UL_OUT_DOT);
	ul_out_end(UL_OUT_GJSON);
}
