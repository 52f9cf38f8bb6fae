#define _GNU_SOURCE
/* Wait/event dependencies. Events (condition variables, semaphores,
 * barriers, thread exits, once-inits, API events) are classes in the same
 * graph as locks. A wait while holding L records L -> event; producing the
 * event records event -> M for every M the producer took since its own last
 * wait. A cycle through an event is a deadlock that needs no lock to be
 * taken twice: the waiter holds L, and the only thread that could wake it
 * needs L first. */
#include "core.h"

#define MAX_CYCLE 32

uint32_t ul_event_class(const void *ev, uint8_t kind, uintptr_t ip)
{
	struct ul_lock l;
	if (ul_lock_get(ev, &l)) {
		if (l.kind == kind)
			return l.class_id;
		/* memory that held another object (a lock on a reused stack):
		 * this is a new one */
		ul_lock_kill(ev);
	}
	if (!ul_lock_resolve(ev, kind, ip, &l))
		return 0;
	return l.class_id;
}

/* Record from -> to (classes); a new edge that closes a cycle is a report.
 * The report's steps start at 'to' and end at 'from', as a circular one. */
static void add_edge(struct ul_thread *t, uint32_t from_class, uint32_t to_class, uint8_t type,
		     uintptr_t ip, uint32_t *stack, bool waiting, uintptr_t taken_at, uint32_t hs)
{
	struct ul_class *fc = ul_class_get(from_class), *tc = ul_class_get(to_class);
	if (!fc || !tc || !fc->node || !tc->node || from_class == to_class)
		return;
	uint32_t eid = ul_edge_find(fc->node, tc->node);
	struct ul_edge *known = eid ? ul_edge_get(eid) : NULL;
	if (known && (known->types & type) && !known->seeded && (!known->handshake || known->handshake == hs))
		return; /* known: lock-free */
	/* an order of an earlier run (--graph-db) is checked when first taken */
	bool seeded = known && (known->types & type);
	if (!*stack)
		*stack = ul_stack_capture_from(ip);
	uint32_t path[MAX_CYCLE];
	struct ul_step steps[MAX_CYCLE + 1];
	ul_mutex_lock(&ul_rt.graph_lock);
	if (seeded && !known->seeded) {
		ul_mutex_unlock(&ul_rt.graph_lock);
		return;
	}
	if (seeded)
		known->seeded = false;
	int len = ul_graph_find_cycle(tc->node, fc->node, type, path, MAX_CYCLE);
	if (len > MAX_CYCLE)
		len = MAX_CYCLE; /* the steps buffer holds that much */
	bool added;
	uint32_t ne = ul_edge_add(fc->node, tc->node, type, *stack, &added);
	if (ne && !ul_edge_get(ne)->ip)
		ul_edge_get(ne)->ip = taken_at;
	if (ne) /* a handshake holds only while every such step had it */
		ul_edge_get(ne)->handshake = !known || ul_edge_get(ne)->handshake == hs ? hs : 0;
	if (len > 0 && ul_event_cycle_refuted(ne, path, len))
		len = 0; /* the waiter is woken by producers that need no such lock */
	if (len > 0)
		ul_graph_take_cycle(path, len, ne, *stack, steps);
	ul_mutex_unlock(&ul_rt.graph_lock);
	if (len > 0) {
		/* the new edge closes the cycle: steps[0] is where it goes */
		if (!waiting)
			steps[0].ip = taken_at;
		ul_found(&(struct ul_finding){ .report_kind = UL_R_WAIT, .t = t, .ip = ip, .steps = steps, .nsteps = len + 1,
					     .wait_by = waiting ? UL_WAIT_BY_WAIT : UL_WAIT_BY_EVENT });
	}
}

/* Productions, for evidence: per event object (direct-mapped, a slot
 * taken over by another object forgets the last one), how often it was
 * produced and a Bloom filter of the classes its last producer held or
 * had taken since its own last wait. A busy slot is skipped: no evidence,
 * never a wrong one. */
#define PROD_SLOTS 1024
static struct prod {
	_Atomic uint32_t busy;
	uint32_t seq;
	const void *obj;
	uint64_t bloom;
} prods[PROD_SLOTS];

static struct prod *prod_lock(const void *ev)
{
	struct prod *p = &prods[((uintptr_t)ev * 0x9e3779b97f4a7c15ULL) >> 54];
	uint32_t idle = 0;
	if (!atomic_compare_exchange_strong_explicit(&p->busy, &idle, 1, memory_order_acquire,
						     memory_order_relaxed))
		return NULL;
	return p;
}

static void prod_unlock(struct prod *p)
{
	atomic_store_explicit(&p->busy, 0, memory_order_release);
}

/* Handshakes (joined_handshake): a thread that has ended leaves the class
 * of its last production here, by handle. */
static struct ul_htab exits;
static _Atomic bool exits_lost; /* full: a join of an ended thread records nothing */
UL_STATIC_MUTEX(exits_lock);

static bool exits_ready(void)
{
	return ul_htab_init_once(&exits, &exits_lock, 64, 1u << 20,
				 "ended threads' handshakes: joins of ended threads are not checked");
}

static uint64_t bloom_bit(uint32_t class_id)
{
	return 1ULL << ((class_id * 0x9e3779b1u) >> 26);
}

void ul_event_record(struct ul_thread *t, const void *ev, uint32_t ev_class)
{
	if (!ev || t->ctx || ul_rt.policy.no_validate)
		return;
	ul_event_evidence_commit(t);
	/* the classes on the producer's way to this event: its window and
	 * what it holds */
	uint64_t b = 0;
	uint32_t k = t->nrecent < 16 ? t->nrecent : 16;
	for (uint32_t i = 0; i < k; i++)
		b |= bloom_bit(t->recent[(uint8_t)(t->nrecent - 1 - i) & 15] & 0x3fffffffu);
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = 0; i < d; i++)
		b |= bloom_bit(t->held[i].class_id);
	struct ul_class *ec = ul_class_get(ev_class);
	if (ec && ec->kind == UL_KIND_THREAD) {
		/* kept with the handshake: a later join of this thread can
		 * wait only on those (joined_handshake) */
		uint64_t v[3] = { atomic_load_explicit(&t->hs_class, memory_order_relaxed), b, 1 };
		if (!exits_ready() || ul_htab_put(&exits, (uintptr_t)ev, v, true) < 0)
			atomic_store(&exits_lost, true);
	} else {
		t->hs_ver = t->win_ver;
		atomic_store_explicit(&t->hs_class, ev_class, memory_order_relaxed);
		/* a lock taken again after the handshake is on the way to what
		 * follows it: three empty entries keep the window's "already
		 * there" check (the last three) from matching one from before */
		for (int i = 0; i < 3; i++) {
			uint8_t n = t->nrecent;
			t->recent[n & 15] = 0;
			t->recent_ip[n & 15] = 0;
			t->win_ver++;
			t->nrecent = (uint8_t)(n + 1 < 32 ? n + 1 : 16 + ((n + 1) & 15));
		}
	}
	struct prod *p = prod_lock(ev);
	if (!p)
		return;
	if (p->obj != ev) {
		p->obj = ev;
		p->seq = 0;
	}
	p->seq++;
	p->bloom = b;
	prod_unlock(p);
}

void ul_event_forget(const void *ev)
{
	struct prod *p = prod_lock(ev);
	if (!p)
		return;
	if (p->obj == ev)
		p->obj = NULL;
	prod_unlock(p);
}

void ul_event_wait_note(struct ul_thread *t, const void *ev, uint32_t ev_class, bool once)
{
	t->ev_obj = NULL;
	if (!ev || !ev_class || t->ctx)
		return;
	struct prod *p = prod_lock(ev);
	if (!p)
		return;
	t->ev_obj = ev;
	t->ev_obj_class = ev_class;
	t->ev_seq0 = p->obj == ev && !once ? p->seq : 0;
	prod_unlock(p);
}

void ul_event_woken(struct ul_thread *t, bool loop)
{
	const void *ev = t->ev_obj;
	t->ev_obj = NULL;
	if (!ev || t->ctx)
		return;
	struct prod *p = prod_lock(ev);
	if (!p)
		return;
	/* exactly one production since the wait began: it woke this thread */
	bool one = p->obj == ev && p->seq == t->ev_seq0 + 1;
	uint64_t b = p->bloom;
	prod_unlock(p);
	if (!one)
		return;
	t->nev_done = 0;
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = 0; i < d && t->nev_done < 8; i++) {
		const struct ul_held *h = &t->held[i];
		if (h->lock && h->ctx == t->ctx && !(h->flags & UL_ACQ_NOCHECK))
			t->ev_done[t->nev_done++] = h->class_id;
	}
	t->ev_done_bloom = b;
	t->ev_done_obj = ev;
	t->ev_done_class = t->ev_obj_class;
	if (!loop)
		ul_event_evidence_commit(t);
}

void ul_event_wait_again(struct ul_thread *t, const void *ev)
{
	if (t->nev_done && t->ev_done_obj == ev)
		t->nev_done = 0; /* woken for another reason: the loop went on */
}

void ul_event_evidence_commit(struct ul_thread *t)
{
	if (!t->nev_done)
		return;
	struct ul_class *ec = ul_class_get(t->ev_done_class);
	for (uint8_t i = 0; i < t->nev_done; i++) {
		struct ul_class *lc = ul_class_get(t->ev_done[i]);
		if (!ec || !lc || !ec->node || !lc->node)
			continue;
		uint32_t eid = ul_edge_find(lc->node, ec->node);
		if (!eid || (ul_edge_get(eid)->woken_by & t->ev_done_bloom) == ul_edge_get(eid)->woken_by)
			continue;
		ul_mutex_lock(&ul_rt.graph_lock);
		ul_edge_get(eid)->woken_by &= t->ev_done_bloom;
		ul_mutex_unlock(&ul_rt.graph_lock);
	}
	t->nev_done = 0;
}

static uint32_t edge_at(uint32_t closing, const uint32_t *path, int len, int i)
{
	return i == 0 ? closing : path[(i - 1) % len];
}

bool ul_event_cycle_refuted(uint32_t closing, const uint32_t *path, int len)
{
	if (!closing || len <= 0)
		return false;
	for (int i = 0; i <= len; i++) {
		struct ul_edge *wait = ul_edge_get(edge_at(closing, path, len, i));
		struct ul_edge *next = ul_edge_get(edge_at(closing, path, len, (i + 1) % (len + 1)));
		if (wait->woken_by != ~(uint64_t)0 &&
		    !(wait->woken_by & bloom_bit(ul_node_get(next->to)->class_id)))
			return true;
		if (wait->handshake && wait->handshake == next->handshake)
			return true;
	}
	return false;
}

static void event_wait(struct ul_thread *t, uint32_t ev_class, uintptr_t ip, unsigned flags, uint32_t hs,
		       uint64_t only)
{
	ul_event_evidence_commit(t);
	if (!(flags & UL_EVW_KEEP))
		ul_event_window_reset(t); /* the producer window restarts after every wait */
	if (!ev_class || t->ctx || ul_rt.policy.no_validate)
		return;
	if ((flags & UL_EVW_TIMED) && !ul_rt.policy.wait_timed)
		return;
	uint32_t stack = 0;
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = d; i-- > 0;) {
		const struct ul_held *h = &t->held[i];
		if (!h->lock || h->ctx != t->ctx || (h->flags & UL_ACQ_NOCHECK) || !(only & bloom_bit(h->class_id)))
			continue;
		add_edge(t, h->class_id, ev_class, ul_dep_type(h->mode, UL_WRITE), ip, &stack, true, 0, hs);
	}
}

void ul_event_wait(struct ul_thread *t, uint32_t ev_class, uintptr_t ip, unsigned flags)
{
	event_wait(t, ev_class, ip, flags, 0, ~(uint64_t)0);
}

/* A handshake: when the join begins, the joined thread has already
 * produced an event (its last one, of class hs); the locks it took before
 * that production are behind it, so a joiner holding one cannot block it. */
static uint32_t joined_handshake(uintptr_t handle, uint64_t *ended_bloom)
{
	uint32_t hs = 0;
	bool live = false;
	*ended_bloom = ~(uint64_t)0;
	ul_threads_lock();
	for (struct ul_thread *h = ul_threads_first(); h; h = h->next)
		if (atomic_load_explicit(&h->handle, memory_order_relaxed) == handle) {
			hs = atomic_load_explicit(&h->hs_class, memory_order_relaxed);
			live = true;
			break;
		}
	ul_threads_unlock();
	uint64_t v[3];
	if (!live && exits_ready() && ul_htab_get(&exits, handle, v)) {
		hs = (uint32_t)v[0];
		if (v[2] == 1)
			*ended_bloom = v[1];
	}
	else if (!live && atomic_load(&exits_lost))
		hs = UINT32_MAX; /* its handshake may be lost: no dependency */
	return hs;
}

/* A join of a thread that has ended depends only on the held locks of
 * classes it took on its way to the end: threads of one start routine are
 * one class, and another thread of it that took a lock does not make this
 * join wait for that lock. A live thread may still take any. */
void ul_event_join(struct ul_thread *t, uint32_t ev_class, uintptr_t handle, uintptr_t ip, unsigned flags)
{
	uint64_t only = ~(uint64_t)0;
	uint32_t hs = ev_class && handle ? joined_handshake(handle, &only) : 0;
	event_wait(t, hs == UINT32_MAX ? 0 : ev_class, ip, flags, hs, only);
}

static bool held_class(const struct ul_thread *t, uint32_t class_id)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = 0; i < d; i++)
		if (t->held[i].class_id == class_id && t->held[i].ctx == t->ctx)
			return true;
	return false;
}

void ul_event_produce(struct ul_thread *t, uint32_t ev_class, uintptr_t ip,
		      uint32_t skip_class, bool held)
{
	if (!ev_class || t->ctx || ul_rt.policy.no_validate)
		return;
	ul_event_evidence_commit(t);
	/* the same event again from the same window: its edges are known */
	if (held && t->last_ev == ev_class && t->last_ev_ver == t->win_ver)
		return;
	t->last_ev = ev_class;
	t->last_ev_ver = t->win_ver;
	/* a thread's end: the locks taken before its last production are
	 * behind it for a join that begins after that production */
	struct ul_class *ec = ul_class_get(ev_class);
	uint32_t hs_class = atomic_load_explicit(&t->hs_class, memory_order_relaxed);
	bool ending = ec && ec->kind == UL_KIND_THREAD && hs_class;
	uint32_t stack = 0;
	uint8_t n = t->nrecent;
	uint32_t k = n < 16 ? n : 16;
	for (uint32_t i = 0; i < k; i++) {
		uint32_t v = t->recent[(uint8_t)(n - 1 - i) & 15];
		uintptr_t at = t->recent_ip[(uint8_t)(n - 1 - i) & 15];
		uint32_t c = v & 0x3fffffffu;
		struct ul_class *cl = ul_class_get(c);
		if (!cl || c == skip_class || ul_kind_is_event(cl->kind) || cl->novalidate)
			continue;
		if (!held && held_class(t, c))
			continue;
		uint32_t hs = ending && t->win_ver - i <= t->hs_ver ? hs_class : 0;
		add_edge(t, ev_class, c, ul_dep_type(UL_WRITE, (uint8_t)(v >> 30)), ip, &stack, false, at, hs);
	}
}

void ul_event_block(struct ul_thread *t, const void *ev, uint8_t kind, uintptr_t ip)
{
	t->wait_ip = ip;
	atomic_store_explicit(&t->wait_event_kind, kind, memory_order_relaxed);
	atomic_store_explicit(&t->wait_seq, atomic_load_explicit(&t->wait_seq, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	t->wait_stack = 0;
	t->wait_checks = 0;
	atomic_store_explicit(&t->wait_event, ev, memory_order_release);
}

void ul_event_unblock(struct ul_thread *t)
{
	atomic_store_explicit(&t->wait_event, NULL, memory_order_relaxed);
}
