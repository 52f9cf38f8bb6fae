#define _GNU_SOURCE
/* The dependency graph: nodes are lock classes (and, for same-class
 * nesting, lock instances); edges carry E/S and R/N types. Every function
 * here runs with ul_rt.graph_lock held. */
#include "core.h"

#define MAX_NODES (1u << 22)
#define MAX_EDGES (1u << 23)

static struct ul_node *nodes;
static struct ul_edge *edges;
static uint32_t nnodes = 1, nedges = 1; /* index 0 is "none" */
static uint32_t bfs_gen;
static uint32_t *queue;

static bool graph_init(void)
{
	if (nodes)
		return true;
	nodes = ul_map(MAX_NODES * sizeof *nodes);
	edges = ul_map(MAX_EDGES * sizeof *edges);
	queue = ul_map(2 * MAX_NODES * sizeof *queue);
	return nodes && edges && queue;
}

uint32_t ul_graph_nedges(void) { return nedges - 1; }
uint32_t ul_graph_nnodes(void) { return nnodes - 1; }
struct ul_node *ul_node_get(uint32_t id) { return id ? &nodes[id] : NULL; }
struct ul_edge *ul_edge_get(uint32_t id) { return id ? &edges[id] : NULL; }

uint32_t ul_node_new(uint32_t class_id, uint32_t inst, uintptr_t addr)
{
	if (!graph_init() || nnodes >= MAX_NODES) {
		ul_notice_limit(UL_LIMIT_NODES);
		return 0;
	}
	struct ul_node *n = &nodes[nnodes];
	n->class_id = class_id;
	n->inst = inst;
	n->addr = addr;
	return nnodes++;
}

uint32_t ul_edge_find(uint32_t from, uint32_t to)
{
	uint64_t v[3];
	if (ul_htab_get(&ul_rt.edges, (uint64_t)from << 32 | to, v))
		return (uint32_t)v[0];
	return 0;
}

uint32_t ul_edge_add(uint32_t from, uint32_t to, uint8_t type, uint32_t stack, bool *added)
{
	*added = false;
	if (!from || !to)
		return 0;
	uint32_t id = ul_edge_find(from, to);
	if (id) {
		struct ul_edge *e = &edges[id];
		e->hits++;
		if (!(e->types & type)) {
			e->types |= type;
			*added = true;
		}
		return id;
	}
	if (nedges >= MAX_EDGES) {
		ul_notice_limit(UL_LIMIT_EDGES);
		return 0;
	}
	id = nedges++;
	struct ul_edge *e = &edges[id];
	e->from = from;
	e->to = to;
	e->types = type;
	e->stack = stack;
	e->hits = 1;
	e->next_out = nodes[from].first_out;
	nodes[from].first_out = id;
	e->next_in = nodes[to].first_in;
	nodes[to].first_in = id;
	uint64_t v[3] = { id, 0, 0 };
	ul_htab_put(&ul_rt.edges, (uint64_t)from << 32 | to, v, false);
	*added = true;
	return id;
}

/* A path is strong when no edge that takes its target as a recursive reader
 * (xR) is followed by an edge that leaves that node held shared (Sx).
 * BFS state: (node, arrived-by-xR). The (node, false) state dominates. */
static bool step(uint8_t types, bool arrived_r, bool *next_r)
{
	uint8_t ok = arrived_r ? (types & (UL_DEP_EN | UL_DEP_ER)) : types;
	if (ok & (UL_DEP_EN | UL_DEP_SN)) {
		*next_r = false;
		return true;
	}
	if (ok) {
		*next_r = true;
		return true;
	}
	return false;
}

int ul_graph_find_cycle(uint32_t start, uint32_t target, uint8_t closing, uint32_t *path, int max)
{
	if (!nodes || !start || !target)
		return 0;
	uint32_t gen = ++bfs_gen;
	uint32_t head = 0, tail = 0;
	/* The closing edge target->start arrives at start: its R/N type is the
	 * initial state; its E/S type constrains how we may arrive at target. */
	bool start_r = !(closing & (UL_DEP_EN | UL_DEP_SN));
	bool target_s = !(closing & (UL_DEP_EN | UL_DEP_ER));
	nodes[start].mark[start_r] = gen;
	nodes[start].parent[start_r] = 0;
	queue[tail++] = start << 1 | start_r;
	while (head < tail) {
		uint32_t cur = queue[head] >> 1;
		bool cur_r = queue[head] & 1;
		head++;
		for (uint32_t eid = nodes[cur].first_out; eid; eid = edges[eid].next_out) {
			bool nr;
			if (!step(edges[eid].types, cur_r, &nr))
				continue;
			uint32_t to = edges[eid].to;
			if (nodes[to].mark[nr] == gen)
				continue;
			nodes[to].mark[nr] = gen;
			nodes[to].parent[nr] = eid | (uint32_t)cur_r << 31;
			if (to == target && !(nr && target_s)) {
				/* walk parents back to start */
				uint32_t tmp[256];
				int n = 0;
				uint32_t node = to;
				int st = nr;
				while (n < 256) {
					uint32_t p = nodes[node].parent[st];
					uint32_t e = p & 0x7fffffffu;
					if (!e)
						break;
					tmp[n++] = e;
					node = edges[e].from;
					st = (int)(p >> 31);
					if (node == start && st == start_r)
						break;
				}
				int len = n < max ? n : max;
				for (int i = 0; i < len; i++)
					path[i] = tmp[n - 1 - i];
				return len;
			}
			queue[tail++] = to << 1 | nr;
		}
	}
	return 0;
}

/* Search for a class in a usage state, along strong paths only.
 * Forward (looking for a signal-unsafe lock ahead): the state is "arrived
 * only as a recursive reader"; such an arrival waits only for a writer, so
 * it matches ENABLED_W alone. Backward (looking for a signal-safe lock
 * behind): the state is "the path leaves this class held shared"; a class
 * read in a handler blocks only on a writer, so USED_R needs an E leave.
 * first_types limits the first edge (the caller's own usage may be a read). */
uint32_t ul_graph_usage_search(uint32_t start, bool forward, bool state0, uint8_t first_types,
			       uint64_t sig, bool match_start, uint32_t *found_class)
{
	*found_class = 0;
	if (!nodes || !start)
		return 0;
	uint32_t gen = ++bfs_gen;
	uint32_t head = 0, tail = 0;
	nodes[start].mark[state0] = gen;
	queue[tail++] = start << 1 | state0;
	while (head < tail) {
		uint32_t cur = queue[head] >> 1;
		bool st = queue[head] & 1;
		head++;
		struct ul_class *c = ul_class_get(nodes[cur].class_id);
		if (c && !nodes[cur].inst && (cur != start || match_start)) {
			uint64_t w = atomic_load(&c->usage[forward ? UL_USAGE_ENABLED_W : UL_USAGE_USED_W]);
			uint64_t r = atomic_load(&c->usage[forward ? UL_USAGE_ENABLED_R : UL_USAGE_USED_R]);
			if ((w & sig) || (!st && (r & sig))) {
				*found_class = c->id;
				return cur;
			}
		}
		uint32_t eid = forward ? nodes[cur].first_out : nodes[cur].first_in;
		for (; eid; eid = forward ? edges[eid].next_out : edges[eid].next_in) {
			uint8_t t = edges[eid].types;
			if (cur == start)
				t &= first_types;
			bool ns;
			if (forward) {
				uint8_t ok = st ? (t & (UL_DEP_EN | UL_DEP_ER)) : t;
				if (!ok)
					continue;
				ns = !(ok & (UL_DEP_EN | UL_DEP_SN));
			} else {
				uint8_t ok = st ? (t & (UL_DEP_EN | UL_DEP_SN)) : t;
				if (!ok)
					continue;
				ns = !(ok & (UL_DEP_EN | UL_DEP_ER));
			}
			uint32_t to = forward ? edges[eid].to : edges[eid].from;
			if (nodes[to].mark[ns] == gen || nodes[to].mark[0] == gen)
				continue;
			nodes[to].mark[ns] = gen;
			queue[tail++] = to << 1 | ns;
		}
	}
	return 0;
}
