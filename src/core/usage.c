#define _GNU_SOURCE
/* Usage states: the kernel's HARDIRQ states with "inside a handler of
 * signal S" for hard-IRQ context and "S is not blocked" for IRQs enabled.
 * Each usage bit is a mask of signals. */
#include "core.h"

_Atomic uint64_t ul_handled_sigs;
static _Atomic uint64_t sigs_used; /* signals some class was taken inside */

#define SIGBIT(s) ((uint64_t)1 << ((s) - 1))
#define UL_SIG_ALL (~(SIGBIT(9) | SIGBIT(19)))

static int first_sig(uint64_t m)
{
	return m ? __builtin_ctzll(m) + 1 : 0;
}

/* The states a new usage conflicts with (kernel: exclusive_mask). */
static uint64_t conflicts(const struct ul_class *c, int bit)
{
	switch (bit) {
	case UL_USAGE_USED_W:
		return atomic_load(&c->usage[UL_USAGE_ENABLED_W]) | atomic_load(&c->usage[UL_USAGE_ENABLED_R]);
	case UL_USAGE_USED_R:
		return atomic_load(&c->usage[UL_USAGE_ENABLED_W]);
	case UL_USAGE_ENABLED_W:
		return atomic_load(&c->usage[UL_USAGE_USED_W]) | atomic_load(&c->usage[UL_USAGE_USED_R]);
	default:
		return atomic_load(&c->usage[UL_USAGE_USED_W]);
	}
}

static int conflict_bit(const struct ul_class *c, int bit, uint64_t sig)
{
	static const int order[4][2] = {
		{ UL_USAGE_ENABLED_W, UL_USAGE_ENABLED_R }, { UL_USAGE_ENABLED_W, UL_USAGE_ENABLED_W },
		{ UL_USAGE_USED_W, UL_USAGE_USED_R }, { UL_USAGE_USED_W, UL_USAGE_USED_W } };
	for (int i = 0; i < 2; i++)
		if (atomic_load(&c->usage[order[bit][i]]) & sig)
			return order[bit][i];
	return order[bit][0];
}

#define DEP_ALL (UL_DEP_EN | UL_DEP_ER | UL_DEP_SN | UL_DEP_SR)

/* A class just gained 'bit' for signals 'sigs': look for a class on the other
 * side of the graph in the opposite state (kernel: irq lock inversion). */
static void check_inversion(struct ul_thread *t, const struct ul_acquire *a, struct ul_class *c,
			    int bit, uint64_t sigs)
{
	bool used = bit == UL_USAGE_USED_W || bit == UL_USAGE_USED_R;
	for (uint64_t m = sigs; m; m &= m - 1) {
		int sig = first_sig(m);
		uint64_t sb = SIGBIT(sig);
		uint32_t other = 0;
		ul_mutex_lock(&ul_rt.graph_lock);
		if (used) /* read in a handler: only paths leaving it held exclusive */
			ul_graph_usage_search(c->node, true, false,
					      bit == UL_USAGE_USED_R ? (UL_DEP_EN | UL_DEP_ER) : DEP_ALL, sb,
					      false, &other);
		else /* read with the signal on: only paths that take it non-recursively */
			ul_graph_usage_search(c->node, false, false,
					      bit == UL_USAGE_ENABLED_R ? (UL_DEP_EN | UL_DEP_SN) : DEP_ALL, sb,
					      false, &other);
		ul_mutex_unlock(&ul_rt.graph_lock);
		if (other) {
			ul_found(&(struct ul_finding){ .report_kind = UL_R_CONTEXT_ORDER, .t = t, .acq = a, .ip = a ? a->ip : 0,
						     .sig = sig, .safe_class = used ? c->id : other,
						     .unsafe_class = used ? other : c->id, .inversion = true });
			return;
		}
	}
}

static void mark(struct ul_thread *t, const struct ul_acquire *a, struct ul_class *c, int bit,
		 uint64_t sigs)
{
	uint64_t old = atomic_fetch_or(&c->usage[bit], sigs);
	uint64_t fresh = sigs & ~old;
	if (!fresh)
		return;
	for (int i = 0; i < 4; i++) {
		if (!c->usage_hist[bit][i].sigs) {
			c->usage_hist[bit][i].stack = ul_stack_capture_from(a ? a->ip : 0);
			c->usage_hist[bit][i].sigs = fresh;
			break;
		}
	}
	if (bit == UL_USAGE_USED_W || bit == UL_USAGE_USED_R)
		atomic_fetch_or(&sigs_used, fresh);
	uint64_t bad = conflicts(c, bit) & fresh;
	if (bad) {
		int sig = first_sig(bad);
		ul_found(&(struct ul_finding){ .report_kind = UL_R_INCONSISTENT, .t = t, .acq = a, .ip = a ? a->ip : 0, .sig = sig,
					     .old_bit = conflict_bit(c, bit, SIGBIT(sig)), .new_bit = bit });
	}
	if (atomic_load(&sigs_used) & fresh)
		check_inversion(t, a, c, bit, fresh & atomic_load(&sigs_used));
}

/* The stack that first set usage 'bit' for signal 'sig'. */
uint32_t ul_usage_stack(const struct ul_class *c, int bit, int sig)
{
	for (int i = 0; c && i < 4; i++)
		if (c->usage_hist[bit][i].sigs & SIGBIT(sig))
			return c->usage_hist[bit][i].stack;
	return 0;
}

void ul_usage_acquire(struct ul_thread *t, const struct ul_acquire *a)
{
	struct ul_class *c = ul_class_get(a->class_id);
	if (!c)
		return;
	/* A non-recursive read queues behind a waiting writer: for usage it
	 * conflicts like a write. Only recursive reads get the read states. */
	bool r = a->mode == UL_RREAD;
	int ebit = r ? UL_USAGE_ENABLED_R : UL_USAGE_ENABLED_W;
	uint64_t en = ~t->sig_blocked & UL_SIG_ALL;
	uint64_t new_en = en & ~atomic_load_explicit(&c->usage[ebit], memory_order_relaxed);
	uint64_t new_used = 0;
	int ubit = r ? UL_USAGE_USED_R : UL_USAGE_USED_W;
	/* a trylock cannot wait on its owner (kernel: mark_usage) */
	if (t->ctx && t->cur_sig > 0 && !(a->flags & UL_ACQ_TRY))
		new_used = SIGBIT(t->cur_sig) & ~atomic_load_explicit(&c->usage[ubit], memory_order_relaxed);
	if (likely(!new_en && !new_used))
		return;
	if (new_used)
		mark(t, a, c, ubit, new_used);
	if (new_en)
		mark(t, a, c, ebit, new_en);
}

/* Signals were unblocked: every held lock is now "taken with S enabled". */
void ul_usage_unblock(struct ul_thread *t, uint64_t newly_enabled)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	for (uint32_t i = 0; i < d; i++) {
		struct ul_held *h = &t->held[i];
		struct ul_class *c = ul_class_get(h->class_id);
		if (!c || !h->lock)
			continue;
		int bit = h->mode == UL_RREAD ? UL_USAGE_ENABLED_R : UL_USAGE_ENABLED_W;
		uint64_t fresh = newly_enabled & UL_SIG_ALL & ~atomic_load(&c->usage[bit]);
		if (fresh) {
			struct ul_acquire tmp = { .lock = h->lock, .mode = h->mode, .class_id = h->class_id,
						  .ip = h->ip };
			mark(t, &tmp, c, bit, fresh);
		}
	}
}

/* A new edge from -> to: a signal-safe lock behind it and a signal-unsafe
 * lock ahead of it, joined by strong paths, make a safe -> unsafe order
 * (kernel: check_irq_usage). */
void ul_usage_check_edge(struct ul_thread *t, const struct ul_acquire *a, uint32_t from_class,
			 uint32_t to_class, uint8_t type)
{
	uint64_t used = atomic_load_explicit(&sigs_used, memory_order_relaxed);
	if (!used)
		return;
	struct ul_class *fc = ul_class_get(from_class), *tc = ul_class_get(to_class);
	if (!fc || !tc)
		return;
	bool leave_s = !(type & (UL_DEP_EN | UL_DEP_ER)), arrive_r = !(type & (UL_DEP_EN | UL_DEP_SN));
	for (uint64_t m = used; m; m &= m - 1) {
		int sig = first_sig(m);
		uint64_t sb = SIGBIT(sig);
		uint32_t safe = 0, unsafe = 0;
		ul_mutex_lock(&ul_rt.graph_lock);
		ul_graph_usage_search(fc->node, false, leave_s, DEP_ALL, sb, true, &safe);
		if (safe)
			ul_graph_usage_search(tc->node, true, arrive_r, DEP_ALL, sb, true, &unsafe);
		ul_mutex_unlock(&ul_rt.graph_lock);
		if (safe && unsafe) {
			ul_found(&(struct ul_finding){ .report_kind = UL_R_CONTEXT_ORDER, .t = t, .acq = a, .ip = a ? a->ip : 0,
						     .sig = sig, .safe_class = safe, .unsafe_class = unsafe });
			return;
		}
	}
}
