#define _GNU_SOURCE
/* The dependency graph: nodes are lock classes (and, for same-class
 * nesting, lock instances); edges carry E/S and R/N types. Every function
 * here runs with ul_rt.graph_lock held, except ul_edge_find.
 *
 * Nodes keep a topological order (Pearce and Kelly's online algorithm): a
 * new edge from -> to with ord[from] < ord[to] cannot close a cycle and
 * needs no search; otherwise only the nodes between the two positions are
 * visited and reordered. An edge that closes a cycle (reported, or a read
 * cycle that is not a deadlock) ends the order of its component (the class
 * graph, or one family's instances): from then on every new edge there
 * runs the breadth-first search.
 *
 * Instance nodes die with their lock: their edges are unlinked and both
 * go back to free lists, so lock churn does not grow the graph. */
#include <string.h>

#include "core.h"

#define MAX_NODES (1u << 22)
#define MAX_EDGES (1u << 23)
#define FIND_STEPS 64 /* lock-free list walk; longer lists are searched locked */

/* Nodes and edges are arrays that grow by doubling, all or nothing, from a
 * small start: nothing big is reserved (the program may run under ulimit
 * -v). An outgrown array stays mapped, so a lock-free reader that still
 * holds it reads valid (if stale) memory; the total is at most twice the
 * final size. The BFS queue and the order pool are used under the graph
 * lock only and are replaced outright. */
static struct ul_node *_Atomic nodes;
static struct ul_edge *_Atomic edges;
static uint32_t node_cap, edge_cap;
static uint32_t nnodes = 1, nedges = 1; /* high water; index 0 is "none" */
static uint32_t live_edges;
static uint32_t free_nodes, free_edges;
static uint32_t bfs_gen;
static uint32_t *queue, *pool;
static uint32_t ord_hi = 1u << 31, ord_lo = 1u << 31; /* positions in use lie between */
/* Components with a cycle have no topological order: their new edges are
 * searched. A component is the class graph (0), or the instance graph of
 * one family of classes (no edge joins two components), so a harmless read
 * cycle between two classes leaves instance nesting ordered. */
#define MAX_UNORDERED 32
static uint32_t unordered[MAX_UNORDERED];
static int nunordered;
static bool all_unordered; /* more components than that */

#define FIRST_CAP 4096u

/* Room for node id: the node array, queue and pool grow together or not. */
static bool node_room(uint32_t id)
{
	if (id < node_cap)
		return true;
	if (id >= MAX_NODES)
		return false;
	uint32_t cap = node_cap ? node_cap * 2 : FIRST_CAP;
	struct ul_node *n = ul_map((size_t)cap * sizeof *n);
	uint32_t *q = ul_map(2 * (size_t)cap * sizeof *q);
	uint32_t *p = ul_map((size_t)cap * sizeof *p);
	if (!n || !q || !p) {
		if (n)
			ul_unmap(n, (size_t)cap * sizeof *n);
		if (q)
			ul_unmap(q, 2 * (size_t)cap * sizeof *q);
		if (p)
			ul_unmap(p, (size_t)cap * sizeof *p);
		return false;
	}
	if (node_cap) {
		memcpy(n, nodes, (size_t)node_cap * sizeof *n);
		ul_unmap(queue, 2 * (size_t)node_cap * sizeof *queue);
		ul_unmap(pool, (size_t)node_cap * sizeof *pool);
	}
	queue = q;
	pool = p;
	atomic_store_explicit(&nodes, n, memory_order_release);
	node_cap = cap;
	return true;
}

static bool edge_room(uint32_t id)
{
	if (id < edge_cap)
		return true;
	if (id >= MAX_EDGES)
		return false;
	uint32_t cap = edge_cap ? edge_cap * 2 : FIRST_CAP;
	struct ul_edge *e = ul_map((size_t)cap * sizeof *e);
	if (!e)
		return false;
	if (edge_cap)
		memcpy(e, edges, (size_t)edge_cap * sizeof *e);
	atomic_store_explicit(&edges, e, memory_order_release);
	edge_cap = cap;
	return true;
}

/* Instance edges by (from, to), chained through hnext: a node of a lock
 * nested with thousands of others (accounts locked in address order) must
 * not be found by walking its adjacency list. The buckets double under the
 * graph lock; an outgrown array stays mapped. A lock-free reader may miss
 * an edge while chains are rewritten: it then looks again under the lock. */
struct ebuckets {
	uint32_t mask;
	_Atomic uint32_t head[];
};
static struct ebuckets *_Atomic ebuckets;
static uint32_t inst_edges;

static uint32_t ebucket(const struct ebuckets *b, uint32_t from, uint32_t to)
{
	return (uint32_t)ul_hash64((uint64_t)from << 32 | to) & b->mask;
}

static void ehash_link(struct ebuckets *b, uint32_t id)
{
	struct ul_edge *e = &edges[id];
	_Atomic uint32_t *h = &b->head[ebucket(b, e->from, e->to)];
	atomic_store_explicit((_Atomic uint32_t *)&e->hnext, atomic_load_explicit(h, memory_order_relaxed),
			      memory_order_release);
	atomic_store_explicit(h, id, memory_order_release);
}

/* Room for one more instance edge: at most one per bucket on average.
 * False only when there are no buckets at all. */
static bool ehash_room(void)
{
	struct ebuckets *b = atomic_load_explicit(&ebuckets, memory_order_relaxed);
	uint32_t n = b ? b->mask + 1 : 0;
	if (b && (inst_edges < n || n >= MAX_EDGES))
		return true;
	uint32_t cap = n ? 2 * n : 1024;
	struct ebuckets *nb = ul_map(sizeof *nb + (size_t)cap * sizeof nb->head[0]);
	if (!nb)
		return b != NULL; /* the old buckets stay: longer chains, still correct */
	nb->mask = cap - 1;
	for (uint32_t id = 1; id < nedges; id++)
		if (edges[id].from && nodes[edges[id].from].inst)
			ehash_link(nb, id);
	atomic_store_explicit(&ebuckets, nb, memory_order_release);
	return true;
}

static void ehash_unlink(uint32_t id)
{
	struct ebuckets *b = atomic_load_explicit(&ebuckets, memory_order_relaxed);
	struct ul_edge *e = &edges[id];
	_Atomic uint32_t *p = &b->head[ebucket(b, e->from, e->to)];
	for (uint32_t cur; (cur = atomic_load_explicit(p, memory_order_relaxed)); p = (_Atomic uint32_t *)&edges[cur].hnext)
		if (cur == id) {
			atomic_store_explicit(p, e->hnext, memory_order_release);
			break;
		}
	inst_edges--;
}

/* steps: how far a lock-free reader walks; under the lock, all the way */
static uint32_t ehash_find(uint32_t from, uint32_t to, int steps)
{
	struct ebuckets *b = atomic_load_explicit(&ebuckets, memory_order_acquire);
	if (!b)
		return 0;
	uint32_t eid = atomic_load_explicit(&b->head[ebucket(b, from, to)], memory_order_acquire);
	for (int n = 0; eid && n < steps; n++) {
		/* the array after the id: one that grew to hold it is published
		 * before the id is linked anywhere */
		struct ul_edge *e = &atomic_load_explicit(&edges, memory_order_acquire)[eid];
		if (e->from == from && atomic_load_explicit((_Atomic uint32_t *)&e->to, memory_order_relaxed) == to)
			return eid;
		eid = atomic_load_explicit((_Atomic uint32_t *)&e->hnext, memory_order_acquire);
	}
	return 0;
}

static uint32_t component(uint32_t node)
{
	const struct ul_node *n = &nodes[node];
	return n->inst ? ul_class_family(n->class_id) : 0;
}

static bool is_unordered(uint32_t node)
{
	if (all_unordered)
		return true;
	if (!nunordered)
		return false;
	uint32_t k = component(node);
	for (int i = 0; i < nunordered; i++)
		if (unordered[i] == k)
			return true;
	return false;
}

static void set_unordered(uint32_t node)
{
	if (is_unordered(node))
		return;
	if (nunordered < MAX_UNORDERED)
		unordered[nunordered++] = component(node);
	else
		all_unordered = true;
}

static void sort_by_ord(uint32_t *a, uint32_t n);

/* Family from joins family into: one component now, unordered if either was. */
void ul_graph_components_joined(uint32_t from, uint32_t into)
{
	bool from_u = false, into_u = false;
	for (int i = 0; i < nunordered; i++) {
		from_u |= unordered[i] == from;
		into_u |= unordered[i] == into;
	}
	if (from_u && !into_u) {
		if (nunordered < MAX_UNORDERED)
			unordered[nunordered++] = into;
		else
			all_unordered = true;
	}
}

/* Positions run out after 2^32 moves to the ends (lock churn): number the
 * live nodes again from the middle, in their order. */
static void renumber(void)
{
	uint32_t n = 0;
	for (uint32_t id = 1; id < nnodes; id++)
		if (nodes[id].class_id)
			pool[n++] = id;
	sort_by_ord(pool, n);
	uint32_t base = (1u << 31) - n / 2;
	for (uint32_t i = 0; i < n; i++)
		nodes[pool[i]].ord = base + i;
	ord_lo = base;
	ord_hi = base + n;
}

/* A cycle found (path[0..len) from the new edge's end back to its start)
 * as report steps: steps[0] is the start, with the new edge's stack. Its
 * edges, and the new one that closes it (0: none was added), are drawn red
 * in --graph and --html. */
void ul_graph_take_cycle(const uint32_t *path, int len, uint32_t closing, uint32_t stack, struct ul_step *steps)
{
	struct ul_node *n0 = &nodes[edges[path[0]].from];
	steps[0] = (struct ul_step){ n0->class_id, n0->inst, n0->addr, stack, 0, 0, 0 };
	for (int i = 0; i < len; i++) {
		struct ul_edge *e = &edges[path[i]];
		struct ul_node *n = &nodes[e->to];
		steps[i + 1] = (struct ul_step){ n->class_id, n->inst, n->addr, e->stack, e->types, path[i], e->ip };
		e->in_cycle = true;
	}
	if (closing)
		edges[closing].in_cycle = true;
}

/* Tests: skip ahead to the last positions, where renumbering starts. */
void ul_graph_skip_positions(uint32_t hi)
{
	if (hi > ord_hi)
		ord_hi = hi;
}

uint32_t ul_graph_nedges(void) { return live_edges; }
uint32_t ul_graph_node_ids(void) { return nnodes - 1; }
uint32_t ul_graph_edge_ids(void) { return nedges - 1; }
bool ul_graph_ordered(void) { return !all_unordered && !nunordered; }
struct ul_node *ul_node_get(uint32_t id) { return id ? &nodes[id] : NULL; }
struct ul_edge *ul_edge_get(uint32_t id) { return id ? &edges[id] : NULL; }

uint32_t ul_node_new(uint32_t class_id, uint32_t inst, uintptr_t addr)
{
	uint32_t id = free_nodes;
	if (id) {
		free_nodes = nodes[id].first_out;
	} else if (!node_room(nnodes)) {
		ul_notice_limit(nnodes >= MAX_NODES ? UL_LIMIT_NODES : UL_LIMIT_NODES_OOM);
		return 0;
	} else {
		id = nnodes++;
	}
	struct ul_node *n = &nodes[id];
	*n = (struct ul_node){ .class_id = class_id, .inst = inst, .addr = addr };
	if (ord_hi == UINT32_MAX)
		renumber();
	n->ord = ++ord_hi; /* a new node has no edges: last is a valid place */
	return id;
}

static void edge_free(uint32_t id)
{
	struct ul_edge *e = &edges[id];
	struct ul_node *f = &nodes[e->from], *t = &nodes[e->to];
	if (f->inst)
		ehash_unlink(id);
	if (e->prev_out)
		edges[e->prev_out].next_out = e->next_out;
	else
		f->first_out = e->next_out;
	if (e->next_out)
		edges[e->next_out].prev_out = e->prev_out;
	if (e->prev_in)
		edges[e->prev_in].next_in = e->next_in;
	else
		t->first_in = e->next_in;
	if (e->next_in)
		edges[e->next_in].prev_in = e->prev_in;
	f->nout--;
	t->nin--;
	/* next_out/next_in stay: a lock-free reader on this edge walks on */
	atomic_store_explicit((_Atomic uint32_t *)&e->to, 0, memory_order_relaxed);
	e->from = 0;
	e->prev_out = free_edges;
	free_edges = id;
	live_edges--;
}

void ul_node_free(uint32_t id)
{
	struct ul_node *n = ul_node_get(id);
	if (!n || !n->inst)
		return; /* class nodes live as long as their class */
	while (n->first_out)
		edge_free(n->first_out);
	while (n->first_in)
		edge_free(n->first_in);
	n->class_id = 0;
	n->inst = 0;
	n->addr = 0;
	n->first_out = free_nodes;
	free_nodes = id;
}

/* Lock-free. Class edges are in a hash table, instance edges in their own
 * (they die with their locks). 0: not found, or not sure (the caller adds
 * under the lock). */
uint32_t ul_edge_find(uint32_t from, uint32_t to)
{
	struct ul_node *ns = atomic_load_explicit(&nodes, memory_order_acquire);
	if (!ns || !from || !to)
		return 0;
	if (!ns[from].inst) {
		uint64_t v[3];
		if (ul_htab_get(&ul_rt.edges, (uint64_t)from << 32 | to, v))
			return (uint32_t)v[0];
		return 0;
	}
	return ehash_find(from, to, FIND_STEPS);
}

static uint32_t edge_find_locked(uint32_t from, uint32_t to)
{
	if (!nodes[from].inst)
		return ul_edge_find(from, to);
	return ehash_find(from, to, INT32_MAX);
}

uint32_t ul_edge_add(uint32_t from, uint32_t to, uint8_t type, uint32_t stack, bool *added)
{
	*added = false;
	if (!from || !to)
		return 0;
	uint32_t id = edge_find_locked(from, to);
	if (id) {
		struct ul_edge *e = &edges[id];
		e->hits++;
		if (!(e->types & type)) {
			e->types |= type;
			*added = true;
		}
		return id;
	}
	if (nodes[from].inst && !ehash_room()) {
		ul_notice_limit(UL_LIMIT_EDGES_OOM);
		return 0;
	}
	id = free_edges;
	if (id) {
		free_edges = edges[id].prev_out;
	} else if (!edge_room(nedges)) {
		ul_notice_limit(nedges >= MAX_EDGES ? UL_LIMIT_EDGES : UL_LIMIT_EDGES_OOM);
		return 0;
	} else {
		id = nedges++;
	}
	/* keep the order for any caller (history seeds edges directly) */
	if (nodes[from].ord >= nodes[to].ord && !is_unordered(from))
		ul_graph_may_reach(to, from);
	struct ul_edge *e = &edges[id];
	e->from = from;
	e->types = type;
	e->stack = stack;
	e->hits = 1;
	e->in_cycle = false;
	e->seeded = false;
	e->woken_by = ~(uint64_t)0;
	e->handshake = 0;
	e->prev_out = e->prev_in = 0;
	e->next_out = nodes[from].first_out;
	e->next_in = nodes[to].first_in;
	/* readers find the edge only once it is whole */
	atomic_store_explicit((_Atomic uint32_t *)&e->to, to, memory_order_release);
	if (e->next_out)
		edges[e->next_out].prev_out = id;
	if (e->next_in)
		edges[e->next_in].prev_in = id;
	atomic_store_explicit((_Atomic uint32_t *)&nodes[from].first_out, id, memory_order_release);
	atomic_store_explicit((_Atomic uint32_t *)&nodes[to].first_in, id, memory_order_release);
	nodes[from].nout++;
	nodes[to].nin++;
	live_edges++;
	if (!nodes[from].inst) {
		uint64_t v[3] = { id, 0, 0 };
		ul_htab_put(&ul_rt.edges, (uint64_t)from << 32 | to, v, false);
	} else {
		inst_edges++;
		ehash_link(atomic_load_explicit(&ebuckets, memory_order_relaxed), id);
	}
	*added = true;
	return id;
}

/* Heap sort of node ids by their order. */
static void sift(uint32_t *a, uint32_t i, uint32_t n)
{
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && nodes[a[c + 1]].ord > nodes[a[c]].ord)
			c++;
		if (nodes[a[i]].ord >= nodes[a[c]].ord)
			return;
		uint32_t t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void sort_by_ord(uint32_t *a, uint32_t n)
{
	for (uint32_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (uint32_t i = n; i-- > 1;) {
		uint32_t t = a[0];
		a[0] = a[i];
		a[i] = t;
		sift(a, 0, i);
	}
}

/* Before adding from -> to: false when no path to -> from can exist (the
 * order is then updated for the new edge); true when a search is needed. */
bool ul_graph_may_reach(uint32_t to, uint32_t from)
{
	if (!nodes || from == to || is_unordered(from))
		return true;
	if (ord_hi == UINT32_MAX || ord_lo <= 1)
		renumber();
	uint32_t lb = nodes[to].ord, ub = nodes[from].ord;
	if (ub < lb)
		return false;
	/* an end with nothing beyond it moves to the edge of the order: a
	 * lock made again (churn) starts with no edges */
	if (!nodes[to].nout) {
		nodes[to].ord = ++ord_hi;
		return false;
	}
	if (!nodes[from].nin) {
		nodes[from].ord = --ord_lo;
		return false;
	}
	/* forward from 'to' within (lb, ub]; backward from 'from' within [lb, ub) */
	uint32_t gen = ++bfs_gen;
	uint32_t *fw = queue, *bw = queue + node_cap, nf = 0, nb = 0;
	nodes[to].mark[0] = gen;
	fw[nf++] = to;
	for (uint32_t i = 0; i < nf; i++)
		for (uint32_t eid = nodes[fw[i]].first_out; eid; eid = edges[eid].next_out) {
			uint32_t n = edges[eid].to;
			if (n == from) {
				set_unordered(from); /* the new edge closes a cycle */
				return true;
			}
			if (nodes[n].ord < ub && nodes[n].mark[0] != gen) {
				nodes[n].mark[0] = gen;
				fw[nf++] = n;
			}
		}
	nodes[from].mark[1] = gen;
	bw[nb++] = from;
	for (uint32_t i = 0; i < nb; i++)
		for (uint32_t eid = nodes[bw[i]].first_in; eid; eid = edges[eid].next_in) {
			uint32_t n = edges[eid].from;
			if (nodes[n].ord > lb && nodes[n].mark[1] != gen) {
				nodes[n].mark[1] = gen;
				bw[nb++] = n;
			}
		}
	/* the backward set takes the lowest of the freed positions, in its
	 * own order, then the forward set */
	sort_by_ord(fw, nf);
	sort_by_ord(bw, nb);
	uint32_t i = 0, j = 0, k = 0;
	while (i < nb || j < nf)
		pool[k++] = j >= nf || (i < nb && nodes[bw[i]].ord < nodes[fw[j]].ord) ? nodes[bw[i++]].ord
											 : nodes[fw[j++]].ord;
	k = 0;
	for (i = 0; i < nb; i++)
		nodes[bw[i]].ord = pool[k++];
	for (j = 0; j < nf; j++)
		nodes[fw[j]].ord = pool[k++];
	return false;
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
				/* walk parents back to start: once to count,
				 * once to fill the first max edges */
				int n = 0;
				for (int pass = 0; pass < 2; pass++) {
					uint32_t node = to;
					int st = nr, k = 0;
					for (;;) {
						uint32_t p = nodes[node].parent[st];
						uint32_t e = p & 0x7fffffffu;
						if (!e)
							break;
						if (pass && n - 1 - k < max)
							path[n - 1 - k] = e;
						k++;
						node = edges[e].from;
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
