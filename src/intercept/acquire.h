/* The one acquisition pipeline every lock family uses: validate before
 * blocking (pre), block with wait tracking (block), record on success
 * (post). A family describes its real functions once in a
 * struct ul_lock_ops; the helpers here are inlined with a constant ops
 * pointer, so the compiler calls the real functions directly. */
#ifndef UL_ACQUIRE_H
#define UL_ACQUIRE_H
#include "../core/fastpath.h"
#include "../core/lockstat.h"
#include "interpose.h"

/* What the program asked for. */
enum ul_op { UL_OP_LOCK, UL_OP_TRY, UL_OP_TIMED, UL_OP_CLOCK };

struct ul_call {
	enum ul_op op;
	uint8_t mode;
	clockid_t clk;                 /* UL_OP_CLOCK; UL_OP_TIMED: the family's clock */
	const struct timespec *ts;     /* absolute deadline for TIMED/CLOCK */
};

struct ul_lock_ops {
	uint8_t kind;
	int ok, ok_too;                /* success codes (ok_too: EOWNERDEAD or ok) */
	int busy, timedout;            /* what try and timed calls return */
	clockid_t wait_clock;          /* the clock of the family's timed call */
	bool spin;                     /* no timed call: wait by polling try */
	/* the real function for c->op */
	int (*call)(void *lock, const struct ul_call *c);
	/* locks glibc must see untouched: no trylock probe (optional) */
	bool (*no_probe)(const void *lock);
};

static inline __attribute__((always_inline)) bool ul_acq_ok(const struct ul_lock_ops *o, int r)
{
	return r == o->ok || r == o->ok_too;
}

/* Block on a lock the caller could not take at once. A wait longer than
 * the deadlock timeout checks the wait-for graph, then keeps waiting. */
int ul_block(struct ul_thread *t, void *lock, uint8_t mode, const struct ul_lock_ops *o);

/* Try first, then block: the real acquisition of a blocking call. */
static inline __attribute__((always_inline)) int ul_take(struct ul_thread *t, void *lock, uint8_t mode,
							 const struct ul_lock_ops *o)
{
	int r = o->no_probe && unlikely(o->no_probe(lock))
			? o->busy
			: o->call(lock, &(struct ul_call){ .op = UL_OP_TRY, .mode = mode });
	if (unlikely(r == o->busy))
		r = ul_block(t, lock, mode, o);
	return r;
}

/* The fast path of a blocking call whose chain is cached (ul_fast_check
 * said yes): take the lock and push the held entry. */
static inline __attribute__((always_inline)) int ul_fast_lock(struct ul_thread *t, void *lock,
							      const struct ul_fast *f, uint8_t mode,
							      uintptr_t ip, const struct ul_lock_ops *o)
{
	int r = ul_take(t, lock, mode, o);
	if (likely(ul_acq_ok(o, r)))
		ul_fast_push(t, lock, f, ip, mode, 0);
	return r;
}

/* Everything else: --lock-stat counting, trylocks, timed locks, locks not
 * in the caches, annotated subclasses. a carries the lock, ip, kind, mode,
 * flags, subclass and type; the caller's errno is kept. */
int ul_acquire(struct ul_acquire *a, const struct ul_lock_ops *o, const struct ul_call *c);

/* Unlock that missed the fast path (ul_fast_release), before the real
 * unlock. free_now: the lock word says nobody holds it. errno is kept. */
void ul_unlock_event(const void *lock, uint8_t kind, bool free_now, uintptr_t ip);

#endif
