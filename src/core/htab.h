/* Hash table with lock-free lookups and locked inserts.
 * Keys are 64-bit and never 0 (empty). Entries are never removed: an entry
 * can be reused for another key by the owner of the segment lock, and a
 * reader re-checks the key after reading values. Growth doubles a segment
 * and publishes the new array; old arrays stay mapped (bounded by 1x). */
#ifndef UL_HTAB_H
#define UL_HTAB_H
#include "../os/os.h"

struct ul_hent {
	_Atomic uint64_t key;
	_Atomic uint64_t v[3];
};

struct ul_harr {
	uint64_t mask; /* lives with its array: readers never mix generations */
	uint64_t pad;
	struct ul_hent e[];
};

struct ul_hseg {
	_Atomic(struct ul_harr *) tab;
	uint32_t used;
	ul_mutex_t lock;
	char pad[64 - 20];
};

#define UL_HSEGS 64

struct ul_htab {
	struct ul_hseg seg[UL_HSEGS];
	uint32_t initial;
	uint64_t max_entries; /* 0: no limit */
	_Atomic uint64_t count;
	_Atomic bool full;
	_Atomic bool oom;     /* an insert failed for memory */
	const char *what;     /* for the one notice: what stops when full */
};

/* Called once per table when it first fills up or runs out of memory (the
 * runtime prints one notice); NULL in unit tests. */
extern void (*ul_htab_full_hook)(struct ul_htab *h, bool oom);

static inline uint64_t ul_hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

void ul_htab_init(struct ul_htab *h, uint32_t initial_per_seg, uint64_t max_entries);
/* A table made on first use: the first caller makes it under lock. what:
 * for the notice when it fills up (NULL: no limit to tell). True once ready. */
bool ul_htab_init_once(struct ul_htab *h, ul_mutex_t *lock, uint32_t initial_per_seg, uint64_t max_entries,
		       const char *what);
/* Lock-free. Copies the values; returns false if absent. */
bool ul_htab_get(struct ul_htab *h, uint64_t key, uint64_t v[3]);
static inline bool ul_htab_has(struct ul_htab *h, uint64_t key)
{
	uint64_t v[3];
	return ul_htab_get(h, key, v);
}
/* Insert or overwrite. Returns 1 if inserted new, 0 if it existed (values
 * replaced when replace is set), -1 when the table is full. */
int ul_htab_put(struct ul_htab *h, uint64_t key, const uint64_t v[3], bool replace);
/* Insert only if absent; on return v holds the stored values. */
int ul_htab_get_or_put(struct ul_htab *h, uint64_t key, uint64_t v[3]);
/* Insert or replace; old gets the values replaced (zeros if new).
 * Returns like ul_htab_put. */
int ul_htab_swap(struct ul_htab *h, uint64_t key, const uint64_t v[3], uint64_t old[3]);
/* Under the segment lock, fn may change the values of an existing key;
 * they are stored when it returns true. Returns false if absent or fn
 * refused. */
bool ul_htab_modify(struct ul_htab *h, uint64_t key, bool (*fn)(uint64_t v[3], void *arg), void *arg);
/* Store one value word of an existing key. Returns false if absent. */
bool ul_htab_set(struct ul_htab *h, uint64_t key, int idx, uint64_t val);

#endif
