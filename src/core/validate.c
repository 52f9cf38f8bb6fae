#define _GNU_SOURCE
/* Acquire/release validation: chain cache fast path, recursion, dependency
 * edges with cycle search, same-class instance order, misuse checks. */
#include <string.h>


#include "held.h"
#include "core.h"
#include "lockstat.h"

#define MAX_CYCLE 32

static inline bool same_ctx(const struct ul_thread *t, const struct ul_held *h)
{
	return h->ctx == t->ctx;
}

/* Key of the chain the thread holds in its current context. */

/* The graph node of a lock instance, kept in the lock's shadow entry
 * (ul_sh_node) and freed with its identity; lock-free when it exists. */

struct attach {
	uint32_t inst, node;
};

static bool attach_node(uint64_t v[3], void *arg)
{
	struct attach *at = arg;
	if (ul_sh_inst(v) != at->inst || ul_sh_dead(v))
		return false; /* the identity ended meanwhile */
	if (ul_sh_node(v)) {
		at->node = ul_sh_node(v);
		return false;
	}
	ul_sh_set_node(v, at->node);
	return true;
}

static uint32_t inst_node(uint32_t class_id, uint32_t inst, const void *lock)
{
	uint64_t v[3];
	if (!ul_htab_get(&ul_rt.locks, (uintptr_t)lock, v) || ul_sh_inst(v) != inst || ul_sh_dead(v))
		return 0;
	if (ul_sh_node(v))
		return ul_sh_node(v);
	ul_mutex_lock(&ul_rt.graph_lock);
	uint32_t n = ul_node_new(class_id, inst, (uintptr_t)lock);
	struct attach at = { inst, n };
	if (n && !ul_htab_modify(&ul_rt.locks, (uintptr_t)lock, attach_node, &at)) {
		ul_node_free(n);
		n = at.node != n ? at.node : 0;
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
	return n;
}

/* Stacks of instance dependencies, one per class and call site: the same
 * code nesting many instances (lock coupling, a table growing) captures
 * once it has captured SITE_CAPTURES times. Before that every dependency
 * gets its own stack: a call site inside a lock wrapper serves callers
 * whose stacks differ. Written under graph_lock; read as tag, stack, tag. */
#define SITE_CAPTURES 64
static struct {
	_Atomic uint64_t tag;
	_Atomic uint32_t stack;
	uint32_t captures; /* under graph_lock */
} site_stacks[512];

static uint64_t site_tag(const struct ul_acquire *a)
{
	return ul_hash64((uint64_t)a->class_id << 32 ^ a->ip ^ (uint64_t)a->ip >> 32) | 1;
}

static uint32_t site_stack_get(uint64_t tag)
{
	size_t i = tag % UL_ARRAY_SIZE(site_stacks);
	if (__atomic_load_n(&site_stacks[i].captures, __ATOMIC_RELAXED) < SITE_CAPTURES)
		return 0;
	uint64_t t1 = atomic_load_explicit(&site_stacks[i].tag, memory_order_acquire);
	uint32_t s = atomic_load_explicit(&site_stacks[i].stack, memory_order_acquire);
	uint64_t t2 = atomic_load_explicit(&site_stacks[i].tag, memory_order_acquire);
	return t1 == tag && t2 == tag ? s : 0;
}

static void site_stack_put(uint64_t tag, uint32_t stack)
{
	size_t i = tag % UL_ARRAY_SIZE(site_stacks);
	if (atomic_load_explicit(&site_stacks[i].tag, memory_order_relaxed) != tag)
		__atomic_store_n(&site_stacks[i].captures, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&site_stacks[i].captures, site_stacks[i].captures + 1, __ATOMIC_RELAXED);
	atomic_store_explicit(&site_stacks[i].tag, 0, memory_order_release);
	atomic_store_explicit(&site_stacks[i].stack, stack, memory_order_release);
	atomic_store_explicit(&site_stacks[i].tag, tag, memory_order_release);
}

static void remember_instances(uint32_t eid, const struct ul_held *prev, const struct ul_acquire *a);

/* Record the dependency prev -> a. Returns true if a report was made. */
static void add_dependency(struct ul_thread *t, const struct ul_held *prev, struct ul_acquire *a,
			   uint32_t *stack)
{
	/* one class, or one role split by caller (a family) */
	bool inst = ul_class_same_family(prev->class_id, a->class_id);
	uint8_t type = ul_dep_type(prev->mode, a->mode);
	uint32_t from, to;
	if (inst) {
		/* Same class, other instance: order instances, not the class. */
		from = inst_node(prev->class_id, prev->inst, prev->lock);
		to = inst_node(a->class_id, a->inst, a->lock);
	} else {
		struct ul_class *pc = ul_class_get(prev->class_id), *nc = ul_class_get(a->class_id);
		if (!pc || !nc)
			return;
		from = pc->node;
		to = nc->node;
	}
	if (!from || !to)
		return;
	uint32_t eid = ul_edge_find(from, to);
	struct ul_edge *known = eid ? ul_edge_get(eid) : NULL;
	if (known && (known->types & type) && !known->seeded)
		return; /* known dependency: lock-free */
	/* an order of an earlier run, taken by this one for the first time, is
	 * checked as a new one: every run that closes a cycle reports it */
	bool seeded = known && (known->types & type);
	uint64_t tag = inst ? site_tag(a) : 0;
	bool new_site = false;
	if (!*stack && tag)
		*stack = site_stack_get(tag);
	if (!*stack) {
		*stack = ul_stack_capture_from(a->ip);
		new_site = tag != 0;
	}

	uint32_t path_short[MAX_CYCLE];
	struct ul_step steps_short[MAX_CYCLE + 1];
	uint32_t *path = path_short;
	struct ul_step *steps = steps_short;
	void *big = NULL;
	size_t big_size = 0;
	ul_mutex_lock(&ul_rt.graph_lock);
	if (new_site)
		site_stack_put(tag, *stack);
	if (inst && (ul_node_get(from)->inst != prev->inst || ul_node_get(to)->inst != a->inst)) {
		/* an instance ended meanwhile (destroyed by another thread):
		 * its node may already serve another lock */
		ul_mutex_unlock(&ul_rt.graph_lock);
		return;
	}
	if (seeded && !known->seeded) { /* another thread took it first */
		ul_mutex_unlock(&ul_rt.graph_lock);
		return;
	}
	if (seeded)
		known->seeded = false;
	int len = 0;
	if (ul_graph_may_reach(to, from))
		len = ul_graph_find_cycle(to, from, type, path, MAX_CYCLE);
	if (len > MAX_CYCLE) {
		/* a long cycle is printed whole: buffers for all of it */
		big_size = (size_t)len * sizeof *path + ((size_t)len + 1) * sizeof *steps;
		big = ul_map(big_size);
		if (big) {
			steps = big;
			path = (uint32_t *)(steps + len + 1);
			ul_graph_find_cycle(to, from, type, path, len);
		} else {
			ul_notice_limit(UL_LIMIT_CYCLE_OOM);
			len = MAX_CYCLE;
		}
	}
	bool added;
	uint32_t ne = ul_edge_add(from, to, type, *stack, &added);
	if (added && ne && !inst && !known)
		remember_instances(ne, prev, a);
	bool through_wait = false;
	for (int i = 0; i < len && !through_wait; i++) {
		struct ul_class *c = ul_class_get(ul_node_get(ul_edge_get(path[i])->to)->class_id);
		through_wait = c && ul_kind_is_event(c->kind);
	}
	/* a wait in it is woken by producers that need no such lock */
	if (through_wait && ul_event_cycle_refuted(ne, path, len))
		len = 0;
	if (len > 0)
		ul_graph_take_cycle(path, len, ne, *stack, steps);
	ul_mutex_unlock(&ul_rt.graph_lock);
	if (len > 0)
		ul_found(&(struct ul_finding){ .report_kind = through_wait ? UL_R_WAIT : UL_R_CIRCULAR, .t = t, .acq = a,
					     .held = prev, .ip = a->ip, .steps = steps, .nsteps = len + 1,
					     .instances = inst, .wait_by = UL_WAIT_BY_LOCK });
	else if (added && !inst)
		ul_usage_check_edge(t, a, prev->class_id, a->class_id, type);
	if (big)
		ul_unmap(big, big_size);
}

/* Evidence of one role: two classes of never-initialised locks (a type's
 * member lock, first taken in two functions) that one line of code takes
 * join one family, so nesting between them is ordered by instance, as
 * within one class. Ordering them as two classes reports objects locked
 * in id order as a cycle. Lines in lock wrappers and library code take
 * every class and are no evidence. Joining can only miss an order between
 * the two, never invent one. */
static struct ul_htab taken_at; /* acquisition ip -> first class taken there + 1 */
UL_STATIC_MUTEX(taken_at_lock);

enum line_kind { LINE_USER, LINE_LIBRARY, LINE_WRAPPER };

/* Is the function at ip the program's own, library code a lock call goes
 * through (std::mutex::lock out of line), or one that takes locks for
 * others (a wrapper, or unknown)? */
static enum line_kind line_kind_of(uintptr_t ip)
{
	struct ul_core_sym s;
	if (!ul_hooks.symbol || !ul_hooks.symbol(ip - 1, &s))
		return LINE_WRAPPER; /* unknown: no evidence */
	if (ul_runs_callable(s.name))
		return LINE_USER; /* the callable is inlined in it */
	if (ul_library_frame(s.name))
		return LINE_LIBRARY;
	if ((s.size && s.size <= 40) || ul_lock_op_name(s.name))
		return LINE_WRAPPER;
	return LINE_USER;
}

static struct ul_htab line_kinds; /* ip -> kind + 1 */

static enum line_kind line_kind(uintptr_t ip)
{
	uint64_t v[3];
	if (line_kinds.initial && ul_htab_get(&line_kinds, ip, v))
		return (enum line_kind)(v[0] - 1);
	enum line_kind k = line_kind_of(ip);
	ul_htab_init_once(&line_kinds, &taken_at_lock, 64, 1u << 20,
			  "the acquisition-line cache: lines are looked up again");
	uint64_t nv[3] = { (uint64_t)k + 1, 0, 0 };
	ul_htab_put(&line_kinds, ip, nv, true);
	return k;
}

/* The program's line that took the lock: ip, or past library frames. */
static uintptr_t user_line(uintptr_t ip)
{
	enum line_kind k = line_kind(ip);
	if (k == LINE_LIBRARY) {
		uintptr_t key, site, caller;
		ul_init_site(ip, true, &key, &site, &caller); /* the role frame, past std:: */
		if (site == ip)
			return 0;
		ip = site;
		k = line_kind(ip);
	}
	return k == LINE_USER ? ip : 0;
}

/* Only classes of never-initialised locks join: their class is where a
 * lock happened to be taken first, a guess at its role. An init site is a
 * role the program wrote down (as in the kernel), and a generic helper
 * that takes locks of two such roles must not merge them. */
static bool joinable(struct ul_class *c)
{
	return c && c->base == c->id && !c->name && c->origin == UL_ORIGIN_FIRST_USE;
}

/* The instances that made a class dependency between two joinable
 * classes (edge id -> from lock, to lock, from inst << 32 | to inst): when
 * the two join, it becomes an instance dependency, so an order the two
 * showed as classes is not forgotten. */
static struct ul_htab edge_insts;

static void remember_instances(uint32_t eid, const struct ul_held *prev, const struct ul_acquire *a)
{
	struct ul_class *pc = ul_class_get(prev->class_id), *ac = ul_class_get(a->class_id);
	if (!ul_rt.policy.join_roles || !joinable(pc) || !joinable(ac) || pc->kind != ac->kind)
		return;
	ul_htab_init_once(&edge_insts, &taken_at_lock, 64, 1u << 20,
			  "the instances of class dependencies: joined classes forget older orders");
	uint64_t v[3] = { (uintptr_t)prev->lock, (uintptr_t)a->lock, (uint64_t)prev->inst << 32 | a->inst };
	ul_htab_put(&edge_insts, eid, v, true);
}

/* The class dependencies between the classes of one (new) family, as
 * instance dependencies. */
static void instances_of_joined(uint32_t c1, uint32_t c2)
{
	enum { MAX = 64 };
	uint32_t eids[MAX], n = 0;
	uint64_t iv[MAX][3];
	ul_mutex_lock(&ul_rt.graph_lock);
	uint32_t cls[2] = { c1, c2 };
	for (int k = 0; k < 2; k++) {
		struct ul_class *c = ul_class_get(cls[k]);
		struct ul_node *nd = c ? ul_node_get(c->node) : NULL;
		for (uint32_t e = nd ? nd->first_out : 0; e && n < MAX; e = ul_edge_get(e)->next_out) {
			struct ul_node *to = ul_node_get(ul_edge_get(e)->to);
			if (to && ul_class_same_family(to->class_id, cls[k]) && edge_insts.initial &&
			    ul_htab_get(&edge_insts, e, iv[n]))
				eids[n++] = e;
		}
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
	for (uint32_t i = 0; i < n; i++) {
		struct ul_edge *e = ul_edge_get(eids[i]);
		uint32_t fc = ul_node_get(e->from)->class_id, tc = ul_node_get(e->to)->class_id;
		uint32_t f = inst_node(fc, (uint32_t)(iv[i][2] >> 32), (const void *)(uintptr_t)iv[i][0]);
		uint32_t t = inst_node(tc, (uint32_t)iv[i][2], (const void *)(uintptr_t)iv[i][1]);
		if (!f || !t)
			continue; /* a lock of it ended: nothing to order */
		bool added;
		ul_mutex_lock(&ul_rt.graph_lock);
		if (ul_node_get(f)->addr == iv[i][0] && ul_node_get(t)->addr == iv[i][1])
			ul_edge_add(f, t, e->types, e->stack, &added); /* keeps the order itself */
		ul_mutex_unlock(&ul_rt.graph_lock);
	}
}

static void site_evidence(struct ul_thread *t, struct ul_acquire *a)
{
	if (!a->ip || !ul_rt.policy.join_roles || t->ctx)
		return;
	struct ul_class *c = ul_class_get(a->class_id);
	if (!joinable(c))
		return;
	uintptr_t ip = user_line(a->ip);
	if (!ip)
		return;
	ul_htab_init_once(&taken_at, &taken_at_lock, 64, 1u << 20,
			  "the acquisition-site table: classes of one role stay apart");
	uint64_t v[3] = { a->class_id + 1ull, 0, 0 };
	if (ul_htab_get_or_put(&taken_at, ip, v) <= 0 && v[0] != a->class_id + 1ull) {
		uint32_t first = (uint32_t)v[0] - 1;
		struct ul_class *f = ul_class_get(first);
		if (!joinable(f) || c->kind != f->kind || ul_class_same_family(first, a->class_id))
			return;
		ul_mutex_lock(&ul_rt.graph_lock);
		ul_class_join(first, a->class_id);
		ul_mutex_unlock(&ul_rt.graph_lock);
		instances_of_joined(first, a->class_id);
	}
}

/* Does a chain of the d entries below, extended by class_id, repeat a
 * class? The top entry already knows for the chain below it; only the new
 * class needs a look. */
static bool repeats(const struct ul_thread *t, uint32_t d, uint32_t class_id)
{
	if (d && same_ctx(t, &t->held[d - 1]) && (t->held[d - 1].flags & UL_HELD_REPEAT))
		return true;
	for (uint32_t i = d; i-- > 0 && same_ctx(t, &t->held[i]);)
		if (ul_class_same_family(t->held[i].class_id, class_id))
			return true;
	return false;
}

static void mark_repeat(const struct ul_thread *t, struct ul_acquire *a)
{
	a->flags &= (uint8_t)~UL_HELD_REPEAT;
	if (repeats(t, atomic_load_explicit(&t->depth, memory_order_relaxed), a->class_id))
		a->flags |= UL_HELD_REPEAT;
}

/* Validate the edges into a from the held stack (the chain was not cached). */
static void validate_chain(struct ul_thread *t, struct ul_acquire *a)
{
	uint32_t stack = 0;
	if (!(a->flags & UL_ACQ_TRY)) {
		uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
		for (uint32_t i = d; i-- > 0;) {
			const struct ul_held *h = &t->held[i];
			if (!same_ctx(t, h))
				break;
			if (h->flags & UL_ACQ_NOCHECK)
				continue;
			add_dependency(t, h, a, &stack);
			if (!(h->flags & UL_ACQ_TRY))
				break;
		}
	}
	/* A chain with a repeated class needs the instance check every time. */
	if (!(a->flags & UL_HELD_REPEAT))
		ul_chain_add(a->chain_key);
}

/* Lock identity through the thread's cache; an entry is good while its
 * epoch bucket has not moved (any identity change there moves it). Locks
 * with a default subclass, novalidate, or checked on every use (a stack
 * lock) are not cached. */
static inline bool lock_lookup(struct ul_thread *t, struct ul_acquire *a, struct ul_lcache *out)
{
	struct ul_lcache *c = &t->lcache[ul_lcache_slot(a->lock)];
	uint32_t epoch = atomic_load_explicit(ul_lock_epoch(a->lock), memory_order_acquire);
	if (likely(c->addr == (uintptr_t)a->lock && c->epoch == epoch && !c->slow)) {
		*out = *c;
		return true;
	}
	struct ul_lock l;
	if (!ul_lock_get(a->lock, &l) && !ul_lock_resolve(a->lock, a->kind, a->ip, &l))
		return false;
	if ((l.on_stack || l.origin == UL_ORIGIN_FIRST_USE) &&
	    ul_lock_stack_renew(t, a->lock, a->kind, a->ip, &l))
		epoch = atomic_load_explicit(ul_lock_epoch(a->lock), memory_order_acquire);
	*out = (struct ul_lcache){ (uintptr_t)a->lock, l.class_id, l.inst, epoch, l.subclass_default,
				   l.novalidate, l.on_stack, 0, 0 };
	/* only plain locks are cached: the fast path needs no flag test */
	if (!t->ctx && !out->subclass_default && !out->novalidate && !out->slow)
		ul_lcache_fill(c, a->lock, out->class_id, out->inst, epoch);
	return true;
}

bool ul_validate_acquire(struct ul_thread *t, struct ul_acquire *a)
{
	struct ul_lcache l;
	a->tracked = false;
	a->reentry = false;
	if (!lock_lookup(t, a, &l))
		return false;
	if (l.novalidate || ul_rt.policy.no_validate)
		a->flags |= UL_ACQ_NOCHECK;
	uint8_t sub = a->subclass == 0xff ? l.subclass_default : a->subclass;
	a->class_id = sub ? ul_class_sub(l.class_id, sub) : l.class_id;
	a->inst = l.inst;
	a->tracked = true;

	uint64_t key = ul_chain_top(t, atomic_load_explicit(&t->depth, memory_order_relaxed));
	ul_chain_key_next(&key, a->class_id, a->mode, a->flags, t->mask_hash);
	a->chain_key = key;
	if (a->flags & UL_ACQ_NOCHECK) {
		mark_repeat(t, a);
		return true;
	}
	/* The signal mask is in the key: a cached chain had its usage marked
	 * (and never repeats a class). */
	if (likely(ul_chain_cached(t, key)))
		return true;
	site_evidence(t, a);
	mark_repeat(t, a);
	ul_usage_acquire(t, a);

	/* Slow path. Recursion on this very lock first. */
	struct ul_held *h = ul_held_find(t, a->lock);
	if (h) {
		bool reads = a->mode == UL_RREAD && h->mode != UL_WRITE;
		if (a->mutex_type == UL_MUTEX_RECURSIVE || reads) {
			a->reentry = true;
			return true;
		}
		if (a->flags & UL_ACQ_TRY)
			return true; /* fails with EBUSY, cannot block */
		ul_found(&(struct ul_finding){ .report_kind = UL_R_RECURSIVE, .t = t, .acq = a, .held = h, .ip = a->ip });
		return true;
	}
	validate_chain(t, a);
	return true;
}

void ul_acquired(struct ul_thread *t, const struct ul_acquire *a)
{
	if (!a->tracked)
		return;
	if (a->reentry) {
		struct ul_held *h = ul_held_find(t, a->lock);
		if (h) {
			h->refs++;
			if (unlikely(t->lstat))
				ul_lstat_acquired(t, a->lock, a->class_id, a->mode, a->ip, NULL);
			return;
		}
	}
	if (!ul_held_reserve(t)) {
		t->overflow++;
		if (unlikely(t->lstat))
			ul_lstat_acquired(t, a->lock, a->class_id, a->mode, a->ip, NULL);
		return;
	}
	struct ul_held *h = ul_held_push(t, a->lock, a->chain_key, a->ip, a->class_id, a->inst, a->mode, a->flags);
	ul_event_note(t, a->class_id, a->mode, a->flags, a->ip);
	if (unlikely(t->lstat))
		ul_lstat_acquired(t, a->lock, a->class_id, a->mode, a->ip, h);
}

/* After removing an entry from the middle, the entries above it form new
 * chains: rebuild their keys and validate them, as if each lock were taken
 * again on the shorter stack (kernel: reacquire_held_locks). Only entries
 * whose dependencies changed need the graph: those up to and including the
 * first blocking lock above the gap; the others have the same locks below
 * them down to a blocking one. Removal never adds a repeated class, so only
 * a repeat flag needs a look. Linear in the depth (a FIFO release of a deep
 * stack is not quadratic per unlock). Runs with busy set: no handler sees
 * the stack shortened. */
static void rebuild_above(struct ul_thread *t, uint32_t from)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	bool changed = true, settled = false;
	for (uint32_t i = from; i < d; i++) {
		struct ul_held *h = &t->held[i];
		uint64_t key;
		if (i && t->held[i - 1].ctx == h->ctx)
			key = t->held[i - 1].chain_key;
		else
			key = t->ctx == h->ctx ? t->ctx_seed : ul_hash64((uint64_t)h->ctx + 1);
		ul_chain_key_next(&key, h->class_id, h->mode, h->flags, t->mask_hash);
		h->chain_key = key;
		if (!changed) {
			/* once a repeat holds again, every flag above is right */
			if (!settled && (h->flags & UL_HELD_REPEAT)) {
				settled = repeats(t, i, h->class_id);
				if (!settled)
					h->flags &= (uint8_t)~UL_HELD_REPEAT;
			}
			continue;
		}
		struct ul_acquire a = { .lock = h->lock, .ip = h->ip, .mode = h->mode, .flags = h->flags,
					.class_id = h->class_id, .inst = h->inst, .chain_key = key,
					.tracked = true };
		atomic_store_explicit(&t->depth, i, memory_order_relaxed);
		if (h->flags & UL_HELD_REPEAT)
			mark_repeat(t, &a); /* the chain below changed */
		if (changed && !ul_chain_cached(t, key) && h->ctx == t->ctx && !(h->flags & UL_ACQ_NOCHECK))
			validate_chain(t, &a);
		h->flags = a.flags;
		atomic_store_explicit(&t->depth, d, memory_order_relaxed);
		if (!(h->flags & (UL_ACQ_TRY | UL_ACQ_NOCHECK)))
			changed = false;
	}
}

bool ul_release(struct ul_thread *t, const void *lock, uintptr_t ip, bool report)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	if (likely(d && t->held[d - 1].lock == lock)) {
		struct ul_held *h = &t->held[d - 1];
		if (h->refs > 1) {
			h->refs--;
			return true;
		}
		if (unlikely(t->lstat))
			ul_lstat_released(t, h);
		ul_held_pop(t, h, d);
		return true;
	}
	for (uint32_t i = d; i-- > 0;) {
		struct ul_held *h = &t->held[i];
		if (h->lock != lock)
			continue;
		if (h->refs > 1) {
			h->refs--;
			return true;
		}
		if (unlikely(t->lstat))
			ul_lstat_released(t, h);
		memmove(&t->held[i], &t->held[i + 1], (d - 1 - i) * sizeof *h);
		atomic_store_explicit(&t->depth, d - 1, memory_order_release);
		rebuild_above(t, i);
		return true;
	}
	if (t->overflow) {
		t->overflow--;
		return true;
	}
	if (lock == t->reinit_held) {
		t->reinit_held = NULL;
		return true;
	}
	if (report) {
		struct ul_lock l;
		if (ul_lock_get(lock, &l))
			ul_found(&(struct ul_finding){ .report_kind = UL_R_BAD_UNLOCK, .t = t, .lock = lock, .ip = ip,
						       .why = d ? "but this thread does not hold it!"
								: "but there are no more locks to release!" });
	}
	return false;
}

void ul_lock_destroyed(struct ul_thread *t, const void *lock, uintptr_t ip, bool reinit)
{
	struct ul_held *h = ul_held_find(t, lock);
	if (h) {
		ul_found(&(struct ul_finding){ .report_kind = UL_R_HELD_FREED, .t = t, .held = h, .lo = (uintptr_t)lock,
					       .hi = (uintptr_t)lock + 1, .ip = ip,
					       .why = reinit ? "re-initialising" : "destroying" });
		if (reinit) { /* made anew unlocked (a destroy of a held lock fails: EBUSY) */
			ul_release(t, lock, ip, false);
			t->reinit_held = lock;
		}
	}
	ul_lock_kill(lock);
}

/* Memory [p, p+size) is freed: held locks there are a bug; any lock there
 * starts a new identity when the memory is reused. */
void ul_memory_freed(struct ul_thread *t, const void *p, size_t size, uintptr_t ip)
{
	uintptr_t lo = (uintptr_t)p, hi = lo + size;
	uint32_t d = t ? atomic_load_explicit(&t->depth, memory_order_relaxed) : 0;
	for (uint32_t i = 0; i < d; i++) {
		uintptr_t a = (uintptr_t)t->held[i].lock;
		if (a >= lo && a < hi) {
			ul_found(&(struct ul_finding){ .report_kind = UL_R_HELD_FREED, .t = t, .held = &t->held[i], .lo = lo,
						       .hi = hi, .ip = ip, .why = "freeing memory" });
			/* the lock is gone: stop tracking it as held */
			ul_release(t, (const void *)a, ip, false);
			i--;
			d--;
		}
	}
	ul_locks_in_range_kill(lo, hi);
}

void ul_check_exit(struct ul_thread *t, uintptr_t ip)
{
	if (t && atomic_load_explicit(&t->depth, memory_order_relaxed) > 0)
		ul_found(&(struct ul_finding){ .report_kind = UL_R_HELD_AT_EXIT, .t = t, .ip = ip });
}
