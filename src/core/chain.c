#define _GNU_SOURCE
/* The chain cache: a 64-bit key hashed incrementally over the held classes
 * (with read mode and trylock) of one context. A key validated once needs
 * no graph work again, and the lookup takes no lock and writes nothing. */
#include "held.h"
#include "fastpath.h"

/* A per-thread two-way cache in front of the shared table. */
bool ul_chain_cached(struct ul_thread *t, uint64_t key)
{
	if (likely(ul_chain_in_ccache(t, key)))
		return true;
	if (!ul_htab_has(&ul_rt.chains, key))
		return false;
	/* the newest first, the older one second. A handler that interrupts
	 * the move writes validated keys too: a slot may lose one, never
	 * hold a key that was not validated */
	uint64_t *set = ul_ccache_set(t, key);
	set[1] = set[0];
	set[0] = key;
	return true;
}

void ul_chain_add(uint64_t key)
{
	uint64_t v[3] = { 1, 0, 0 };
	if (ul_htab_put(&ul_rt.chains, key, v, false) < 0)
		ul_notice_limit(UL_LIMIT_CHAINS);
}

void ul_thread_ctx_changed(struct ul_thread *t)
{
	/* two handlers at one depth are different contexts */
	t->ctx_seed = ul_hash64((uint64_t)t->ctx + 1 + ((uint64_t)(t->ctx ? t->cur_sig : 0) << 8));
}

void ul_thread_mask_changed(struct ul_thread *t)
{
	t->mask_hash = t->sig_blocked ? ul_hash64(t->sig_blocked) : 0;
}

uint64_t ul_obj_salt;

void ul_obj_salt_renew(void)
{
	uint64_t here = 0;
	uint64_t s = ul_hash64(ul_now_ns() ^ (uint64_t)ul_getpid() << 40 ^ (uintptr_t)&here);
	__atomic_store_n(&ul_obj_salt, s | 1, __ATOMIC_RELAXED);
}

/* What any thread may take from the shared table into its lock cache:
 * 0 no, 1 this thread only (a first-use lock: the stack rule depends on
 * the thread), 2 every thread. */
static int fill_kind(const struct ul_thread *t, const void *lock, const uint64_t v[3])
{
	/* dead, novalidate, checked on every use, or a default subclass: the
	 * slow path */
	if (ul_sh_dead(v) || ul_sh_novalidate(v) || (v[1] & UL_SH_BIT(UL_SH_STACK)) || ul_sh_subclass(v))
		return 0;
	if (ul_sh_origin(v) != UL_ORIGIN_FIRST_USE)
		return 2;
	/* first taken by another thread, and maybe on this thread's stack
	 * (bounds not known yet: the slow path looks once): the stack rule */
	if (!t->stack_hi || (uintptr_t)lock - t->stack_lo < t->stack_hi - t->stack_lo)
		return 0;
	return 1;
}

__attribute__((noinline)) bool ul_fast_fill_tag(struct ul_thread *t, struct ul_lcache *c, const void *lock,
						uint32_t epoch, uint64_t *w0p, uint64_t *w1p)
{
	uint64_t v[3];
	int k;
	if (!ul_htab_get(&ul_rt.locks, (uintptr_t)lock, v) || !(k = fill_kind(t, lock, v)))
		return false;
	ul_lcache_fill(c, lock, ul_sh_class(v), ul_sh_inst(v), epoch);
	if (w0p && k == 2) {
		/* the epoch was read before the table: if the identity ended
		 * since, the tag is stale at once */
		uint64_t w0 = ul_sh_class(v) | (uint64_t)ul_sh_inst(v) << 32;
		__atomic_store_n(w0p, w0, __ATOMIC_RELAXED);
		__atomic_store_n(w1p, ul_obj_tag(lock, w0, epoch), __ATOMIC_RELAXED);
	}
	return true;
}

bool ul_fast_fill(struct ul_thread *t, struct ul_lcache *c, const void *lock, uint32_t epoch)
{
	return ul_fast_fill_tag(t, c, lock, epoch, NULL, NULL);
}
