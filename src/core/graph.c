#define _GNU_SOURCE
/* The dependency graph: nodes are lock classes (and, for same-class
 * nesting, lock instances); edges carry E/S and R/N types. Every function
 * here runs with ul_rt.graph_lock held. */
#include "core.h"

#define MAX_NODES (1u << 22)
#define MAX_EDGES (1u << 23)
/* Nodes and edges live in chunks mapped when first needed: no big
 * reservation (the program may run under ulimit -v), and a chunk never
 * moves, so lock-free readers of an edge stay valid. */
#define CHUNK_SHIFT 12
#define CHUNK (1u << CHUNK_SHIFT)

static struct ul_node *node_chunks[MAX_NODES / CHUNK];
static struct ul_edge *_Atomic edge_chunks[MAX_EDGES / CHUNK];
static uint32_t nnodes = 1, nedges = 1; /* index 0 is "none" */
static uint32_t bfs_gen;
static uint32_t *queue; /* BFS queue: two states per node */
static uint32_t queue_cap;

#define NODE(i) (node_chunks[(i) >> CHUNK_SHIFT][(i) & (CHUNK - 1)])
#define EDGE(i) (edge_chunks[(i) >> CHUNK_SHIFT][(i) & (CHUNK - 1)])

uint32_t ul_graph_nedges(void) { return nedges - 1; }
uint32_t ul_graph_nnodes(void) { return nnodes - 1; }
struct ul_node *ul_node_get(uint32_t id) { return id && id < nnodes ? &NODE(id) : NULL; }
struct ul_edge *ul_edge_get(uint32_t id)
{
	if (!id)
		return NULL;
	struct ul_edge *c = atomic_load_explicit(&edge_chunks[id >> CHUNK_SHIFT], memory_order_acquire);
	return c ? &c[id & (CHUNK - 1)] : NULL;
}

/* Room for node id (and its BFS queue slots), all or nothing. */
static bool node_room(uint32_t id)
{
	if (id >= MAX_NODES)
		return false;
	if (2 * (id + 1) > queue_cap) {
		uint32_t ncap = queue_cap ? queue_cap * 2 : 2 * CHUNK;
		uint32_t *nq = ul_map((size_t)ncap * sizeof *nq);
		if (!nq)
			return false;
		if (queue)
			ul_unmap(queue, (size_t)queue_cap * sizeof *queue);
		queue = nq;
		queue_cap = ncap;
	}
	if (!node_chunks[id >> CHUNK_SHIFT] && !(node_chunks[id >> CHUNK_SHIFT] = ul_map(CHUNK * sizeof(struct ul_node))))
		return false;
	return true;
}

static bool edge_room(uint32_t id)
{
	if (id >= MAX_EDGES)
		return false;
	if (atomic_load_explicit(&edge_chunks[id >> CHUNK_SHIFT], memory_order_relaxed))
		return true;
	struct ul_edge *c = ul_map(CHUNK * sizeof *c);
	if (!c)
		return false;
	atomic_store_explicit(&edge_chunks[id >> CHUNK_SHIFT], c, memory_order_release);
	return true;
}

uint32_t ul_node_new(uint32_t class_id, uint32_t inst, uintptr_t addr)
{
	if (!node_room(nnodes)) {
		ul_notice_limit(nnodes >= MAX_NODES ? UL_LIMIT_NODES : UL_LIMIT_NODES_OOM);
		return 0;
	}
	struct ul_node *n = &NODE(nnodes);
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
		struct ul_edge *e = &EDGE(id);
		e->hits++;
		if (!(e->types & type)) {
			e->types |= type;
			*added = true;
		}
		return id;
	}
	if (!edge_room(nedges)) {
		ul_notice_limit(nedges >= MAX_EDGES ? UL_LIMIT_EDGES : UL_LIMIT_EDGES_OOM);
		return 0;
	}
	id = nedges++;
	struct ul_edge *e = &EDGE(id);
	e->from = from;
	e->to = to;
	e->types = type;
	e->stack = stack;
	e->hits = 1;
	e->next_out = NODE(from).first_out;
	NODE(from).first_out = id;
	e->next_in = NODE(to).first_in;
	NODE(to).first_in = id;
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
	if (nnodes < 2 || !start || !target)
		return 0;
	uint32_t gen = ++bfs_gen;
	uint32_t head = 0, tail = 0;
	/* The closing edge target->start arrives at start: its R/N type is the
	 * initial state; its E/S type constrains how we may arrive at target. */
	bool start_r = !(closing & (UL_DEP_EN | UL_DEP_SN));
	bool target_s = !(closing & (UL_DEP_EN | UL_DEP_ER));
	NODE(start).mark[start_r] = gen;
	NODE(start).parent[start_r] = 0;
	queue[tail++] = start << 1 | start_r;
	while (head < tail) {
		uint32_t cur = queue[head] >> 1;
		bool cur_r = queue[head] & 1;
		head++;
		for (uint32_t eid = NODE(cur).first_out; eid; eid = EDGE(eid).next_out) {
			bool nr;
			if (!step(EDGE(eid).types, cur_r, &nr))
				continue;
			uint32_t to = EDGE(eid).to;
			if (NODE(to).mark[nr] == gen)
				continue;
			NODE(to).mark[nr] = gen;
			NODE(to).parent[nr] = eid | (uint32_t)cur_r << 31;
			if (to == target && !(nr && target_s)) {
				/* walk parents back to start: once to count,
				 * once to fill the first max edges */
				int n = 0;
				for (int pass = 0; pass < 2; pass++) {
					uint32_t node = to;
					int st = nr, k = 0;
					for (;;) {
						uint32_t p = NODE(node).parent[st];
						uint32_t e = p & 0x7fffffffu;
						if (!e)
							break;
						if (pass && n - 1 - k < max)
							path[n - 1 - k] = e;
						k++;
						node = EDGE(e).from;
						st = (int)(p >> 31);
						if (node == start && st == start_r)
							break;
					}
					n = k;
				}
				return n;
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
	if (nnodes < 2 || !start)
		return 0;
	uint32_t gen = ++bfs_gen;
	uint32_t head = 0, tail = 0;
	NODE(start).mark[state0] = gen;
	queue[tail++] = start << 1 | state0;
	while (head < tail) {
		uint32_t cur = queue[head] >> 1;
		bool st = queue[head] & 1;
		head++;
		struct ul_class *c = ul_class_get(NODE(cur).class_id);
		if (c && !NODE(cur).inst && (cur != start || match_start)) {
			uint64_t w = atomic_load(&c->usage[forward ? UL_USAGE_ENABLED_W : UL_USAGE_USED_W]);
			uint64_t r = atomic_load(&c->usage[forward ? UL_USAGE_ENABLED_R : UL_USAGE_USED_R]);
			if ((w & sig) || (!st && (r & sig))) {
				*found_class = c->id;
				return cur;
			}
		}
		uint32_t eid = forward ? NODE(cur).first_out : NODE(cur).first_in;
		for (; eid; eid = forward ? EDGE(eid).next_out : EDGE(eid).next_in) {
			uint8_t t = EDGE(eid).types;
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
			uint32_t to = forward ? EDGE(eid).to : EDGE(eid).from;
			if (NODE(to).mark[ns] == gen || NODE(to).mark[0] == gen)
				continue;
			NODE(to).mark[ns] = gen;
			queue[tail++] = to << 1 | ns;
		}
	}
	return 0;
}
