#define _GNU_SOURCE
/* --graph FILE: the class dependency graph at exit, as FILE.dot and
 * FILE.json, with lock counts, edge hit counts, first-seen stacks, and the
 * edges of reported cycles marked. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "report_buf.h"
#include "symbols.h"

static void put(int fd, const char *s)
{
	ul_write_all(fd, s, strlen(s));
}

static void esc(char *out, size_t len, const char *s)
{
	size_t o = 0;
	for (; *s && o + 3 < len; s++) {
		if (*s == '"' || *s == '\\')
			out[o++] = '\\';
		out[o++] = (unsigned char)*s < 0x20 ? ' ' : *s;
	}
	out[o] = 0;
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

void ul_graph_export(void)
{
	const char *base = ul_rt.opt.graph;
	if (!base || !*base)
		return;
	char path[600], line[2400], a[600], b[600];
	snprintf(path, sizeof path, "%s.dot", base);
	unlink(path);
	int dot = ul_open_append(path);
	snprintf(path, sizeof path, "%s.json", base);
	unlink(path);
	int js = ul_open_append(path);
	if (dot < 0 || js < 0)
		return;
	put(dot, "digraph ulockdep {\n  node [shape=box, fontname=\"monospace\"];\n");
	put(js, "{\"classes\":[");
	uint32_t nn = ul_graph_nnodes();
	bool first = true;
	for (uint32_t i = 1; i <= nn; i++) {
		struct ul_node *n = ul_node_get(i);
		struct ul_class *c = ul_class_get(n->class_id);
		if (!c || c->id == 1 || (!n->inst && !atomic_load(&c->nlocks) && !n->first_in && !n->first_out))
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
	uint32_t ne = ul_graph_nedges();
	for (uint32_t i = 1; i <= ne; i++) {
		struct ul_edge *e = ul_edge_get(i);
		snprintf(line, sizeof line, "  n%u -> n%u [label=\"%u\"%s];\n", e->from, e->to, e->hits,
			 e->in_cycle ? ", color=red, penwidth=2" : "");
		put(dot, line);
		snprintf(line, sizeof line, "%s{\"from\":%u,\"to\":%u,\"hits\":%u,\"types\":%u,\"in_cycle\":%s,\"stack\":[",
			 i > 1 ? "," : "", e->from, e->to, e->hits, e->types, e->in_cycle ? "true" : "false");
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
	}
	put(dot, "}\n");
	put(js, "]}\n");
	ul_close(dot);
	ul_close(js);
}
