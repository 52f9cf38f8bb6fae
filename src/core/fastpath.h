/* The fast path: an acquisition whose lock is in the thread's lock cache
 * and whose chain key is in its chain cache needs nothing else. It reads
 * only per-thread data (and the global lock epoch), takes no lock, does no
 * atomic read-modify-write and writes no shared cache line. Any miss falls
 * back to ul_validate_acquire(). A cached chain never repeats a class, so
 * no recursion can be pending here. */
#ifndef UL_FASTPATH_H
#define UL_FASTPATH_H
#include "held.h"

struct ul_fast {
	uint64_t key;
	uint32_t class_id, inst;
};

/* Inside a signal handler every event takes the slow path (which also
 * notices a handler left by siglongjmp): the wrappers stay leaf code. */
static inline struct ul_thread *ul_fast_thread(void)
{
	struct ul_thread *t = ul_self;
	if (unlikely(!t || t->stop)) /* also t->ctx */
		return NULL;
	return t;
}

/* Lock-cache miss: fill the slot from the shared table, read lock-free
 * (plain locks only: no default subclass, not novalidate, not checked on
 * every use, not a never-initialised lock that may be on t's stack).
 * The slot is filled address last, and never by a handler (the fast path
 * runs outside handlers only), so a handler never reads a half-filled slot
 * as valid. */
bool ul_fast_fill(struct ul_thread *t, struct ul_lcache *c, const void *lock, uint32_t epoch);

/* The identity cache inside a lock object: two words of it that the
 * intercept layer knows to be unused (intercept/interpose.h), shared by
 * all threads. w0 is class | inst << 32; w1 a tag over the address, w0,
 * the epoch of the lock's bucket and a per-process salt (new in a fork
 * child). So bytes copied to another address, an identity that has ended
 * (its epoch moved), another process's tag, zeros or random bytes never
 * match, and a tag is as good as a lock-cache entry. Written only for what
 * ul_fast_fill would cache for every thread (not first-use locks: their
 * stack rule depends on the thread). */
extern uint64_t ul_obj_salt;
static inline __attribute__((always_inline)) uint64_t ul_obj_tag(const void *lock, uint64_t w0, uint32_t epoch)
{
	uint64_t k = ((uintptr_t)lock ^ ul_obj_salt) + (uint64_t)epoch * 0x9e3779b97f4a7c15ULL;
	k = (k ^ (k >> 29)) * 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 32;
	return k ^ (w0 * 0x94d049bb133111ebULL);
}
/* A lock-cache miss: fill from the shared table and write the object's
 * tag words (w0p, w1p; NULL: none). */
bool ul_fast_fill_tag(struct ul_thread *t, struct ul_lcache *c, const void *lock, uint32_t epoch, uint64_t *w0p,
		      uint64_t *w1p);
/* A fork child: every tag the parent wrote stops matching. */
void ul_obj_salt_renew(void);

/* The thread's chain cache: two-way sets, so two chains that meet in one
 * set (nested windows over a few classes) do not evict each other. */
static inline __attribute__((always_inline)) uint64_t *ul_ccache_set(struct ul_thread *t, uint64_t key)
{
	return &t->ccache[(key >> 8) & (UL_ARRAY_SIZE(t->ccache) - 2)];
}
static inline __attribute__((always_inline)) bool ul_chain_in_ccache(struct ul_thread *t, uint64_t key)
{
	const uint64_t *set = ul_ccache_set(t, key);
	return set[0] == key || set[1] == key;
}

/* The chain step of a lock found in the lock cache: extend the chain key
 * and find it in the chain cache. The entry remembers its last transition
 * (a per-thread transition cache, direct-mapped by lock): the same lock
 * taken on the same chain, in the same mode and signal mask, gets its
 * validated key with one compare, no hash and no probe. Validated chains
 * are never forgotten, so a remembered key stays good. No call, no shared
 * write. */
static inline __attribute__((always_inline)) bool ul_fast_chain_m(struct ul_thread *t, struct ul_lcache *c,
								  uint8_t mode, uint8_t flags, bool memo, struct ul_fast *f)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	if (unlikely(d >= t->cap))
		return false;
	uint64_t top = ul_chain_top_ctx(t, d, 0); /* outside handlers: t->ctx is 0 */
	/* chain keys are odd: the low bits carry mode and trylock */
	uint64_t from = (top ^ t->mask_hash) + ((uint64_t)mode << 1 | (flags & UL_ACQ_TRY)) + 1;
	uint64_t key;
	if (memo && likely(c->memo_top == from)) {
		key = c->memo_key;
	} else {
		key = top;
		ul_chain_key_next(&key, c->class_id, mode, flags, t->mask_hash);
		if (unlikely(!ul_chain_in_ccache(t, key)))
			return false;
		if (memo) {
			c->memo_key = key;
			c->memo_top = from;
		}
	}
	f->key = key;
	f->class_id = c->class_id;
	f->inst = c->inst;
	return true;
}

/* c in the lock cache: with its transition memo. */
static inline __attribute__((always_inline)) bool ul_fast_chain(struct ul_thread *t, struct ul_lcache *c,
								uint8_t mode, uint8_t flags, struct ul_fast *f)
{
	return ul_fast_chain_m(t, c, mode, flags, true, f);
}

/* The lock cache slot of lock, if it holds lock's current identity. */
static inline __attribute__((always_inline)) struct ul_lcache *ul_fast_lookup(struct ul_thread *t, const void *lock,
									  uint32_t *epoch)
{
	struct ul_lcache *c = &t->lcache[ul_lcache_slot(lock)];
	*epoch = atomic_load_explicit(ul_lock_epoch(lock), memory_order_acquire);
	if (unlikely(c->addr != (uintptr_t)lock || c->epoch != *epoch))
		return NULL;
	return c;
}

/* The lock's identity from its tag words into *c (a stack copy: a tag
 * hit leaves the lock cache alone; it has no memo: ul_fast_chain_m with
 * memo false), or false. */
static inline __attribute__((always_inline)) bool ul_fast_tag(const void *lock, uint32_t epoch, const uint64_t *w0p,
							      const uint64_t *w1p, struct ul_lcache *c)
{
	uint64_t w0 = __atomic_load_n(w0p, __ATOMIC_RELAXED), w1 = __atomic_load_n(w1p, __ATOMIC_RELAXED);
	if (w1 != ul_obj_tag(lock, w0, epoch))
		return false;
	c->class_id = (uint32_t)w0;
	c->inst = (uint32_t)(w0 >> 32);
	return true;
}

/* Both caches hit: no call at all, so a wrapper that uses only this keeps
 * no frame and leaves by tail calls. Outside signal handlers only. */
static inline __attribute__((always_inline)) bool ul_fast_hit(struct ul_thread *t, const void *lock, uint8_t mode,
							      uint8_t flags, struct ul_fast *f)
{
	uint32_t epoch;
	struct ul_lcache *c = ul_fast_lookup(t, lock, &epoch);
	return c && ul_fast_chain(t, c, mode, flags, f);
}

/* As ul_fast_hit, filling the lock cache on a miss. Called outside signal
 * handlers only (t->ctx == 0, see ul_fast_thread). */
static inline __attribute__((always_inline)) bool ul_fast_check(struct ul_thread *t, const void *lock, uint8_t mode,
								uint8_t flags, struct ul_fast *f)
{
	struct ul_lcache *c = &t->lcache[ul_lcache_slot(lock)];
	uint32_t epoch = atomic_load_explicit(ul_lock_epoch(lock), memory_order_acquire);
	if (unlikely(c->addr != (uintptr_t)lock || c->epoch != epoch) && !ul_fast_fill(t, c, lock, epoch))
		return false;
	return ul_fast_chain(t, c, mode, flags, f);
}

/* Push in an order a signal handler can interrupt at any point. */
static inline __attribute__((always_inline)) void ul_fast_push(struct ul_thread *t, const void *lock, const struct ul_fast *f,
				uintptr_t ip, uint8_t mode, uint8_t flags)
{
	ul_held_push_ctx(t, lock, f->key, ip, f->class_id, f->inst, mode, flags, 0);
	/* the fast path runs outside handlers; its class ids are small. Only
	 * event producers read the window, and without --wait-check every
	 * producer passes class 0 and reads nothing */
	if (unlikely(ul_rt.opt.wait_check) && likely(!(flags & UL_ACQ_TRY)))
		ul_event_note_v(t, f->class_id | (uint32_t)mode << 30, ip);
}

/* Release of the most recent lock; false sends the caller to ul_release(). */
static inline __attribute__((always_inline)) bool ul_fast_release(struct ul_thread *t, const void *lock)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	if (unlikely(!d))
		return false;
	struct ul_held *h = &t->held[d - 1];
	if (unlikely(h->lock != lock || h->refs != 1))
		return false;
	ul_held_pop(t, h, d);
	return true;
}

#endif
