/* The held-lock stack and the lock cache, written by the fast path
 * (fastpath.h) and the slow path (validate.c) alike: one definition of
 * each step, and of the order that makes it safe against a signal handler
 * interrupting it on the same thread. */
#ifndef UL_HELD_H
#define UL_HELD_H
#include "core.h"

/* The chain key the next lock of t's current context extends: the top
 * entry's, if it belongs to this context, else the context's seed. */
static inline __attribute__((always_inline)) uint64_t ul_chain_top_ctx(const struct ul_thread *t, uint32_t depth,
									 uint8_t ctx)
{
	if (depth && t->held[depth - 1].ctx == ctx)
		return t->held[depth - 1].chain_key;
	return t->ctx_seed;
}
static inline __attribute__((always_inline)) uint64_t ul_chain_top(const struct ul_thread *t, uint32_t depth)
{
	return ul_chain_top_ctx(t, depth, t->ctx);
}

/* Push a held entry (the caller made room: depth < cap). A handler may
 * interrupt at any instruction and scan or extend the stack:
 * - the slot is first marked "no lock, no context", so it matches no lock
 *   and no chain, and only then counted (depth + 1);
 * - its fields are filled, then its context, then the lock pointer last,
 *   so a handler sees either the mark or the whole entry;
 * - the depth is stored with release, so another thread's deadlock check
 *   (an acquire load) sees at least the mark. */
static inline __attribute__((always_inline)) struct ul_held *
ul_held_push_ctx(struct ul_thread *t, const void *lock, uint64_t key, uintptr_t ip, uint32_t class_id,
		 uint32_t inst, uint8_t mode, uint8_t flags, uint8_t ctx)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	struct ul_held *h = &t->held[d];
	h->lock = NULL;
	h->ctx = UL_CTX_NONE;
	atomic_signal_fence(memory_order_seq_cst);
	atomic_store_explicit(&t->depth, d + 1, memory_order_release);
	atomic_signal_fence(memory_order_seq_cst);
	h->chain_key = key;
	h->ip = ip;
	h->class_id = class_id;
	h->inst = inst;
	h->refs = 1;
	h->mode = mode;
	h->flags = flags;
	atomic_signal_fence(memory_order_seq_cst);
	h->ctx = ctx;
	atomic_signal_fence(memory_order_seq_cst);
	h->lock = lock;
	return h;
}
static inline __attribute__((always_inline)) struct ul_held *
ul_held_push(struct ul_thread *t, const void *lock, uint64_t key, uintptr_t ip, uint32_t class_id, uint32_t inst,
	     uint8_t mode, uint8_t flags)
{
	return ul_held_push_ctx(t, lock, key, ip, class_id, inst, mode, flags, t->ctx);
}

/* Pop the top entry: the lock pointer goes first, so a handler that runs
 * between the two stores sees an empty slot, not a stale lock. */
static inline __attribute__((always_inline)) void ul_held_pop(struct ul_thread *t, struct ul_held *h, uint32_t depth)
{
	h->lock = NULL;
	atomic_signal_fence(memory_order_seq_cst);
	atomic_store_explicit(&t->depth, depth - 1, memory_order_release);
}

/* Cache a plain lock's identity (no default subclass, validated, not
 * checked on every use). The address is written last, and never from a
 * handler (callers check), so a handler never takes a half-filled slot
 * for a valid one. The epoch was read before the shared table: a later
 * end of the lock's identity moves it and empties the slot. */
static inline void ul_lcache_fill(struct ul_lcache *c, const void *lock, uint32_t class_id, uint32_t inst,
				  uint32_t epoch)
{
	c->addr = 0;
	atomic_signal_fence(memory_order_seq_cst);
	c->class_id = class_id;
	c->inst = inst;
	c->subclass_default = 0;
	c->novalidate = false;
	c->slow = false;
	c->epoch = epoch;
	c->memo_top = 0; /* no transition known */
	atomic_signal_fence(memory_order_seq_cst);
	c->addr = (uintptr_t)lock;
}

#endif
