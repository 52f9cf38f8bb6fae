#define _GNU_SOURCE
#include "htab.h"

void (*ul_htab_full_hook)(struct ul_htab *h, bool oom);

static void say_full(struct ul_htab *h, _Atomic bool *flag, bool oom)
{
	if (!atomic_exchange(flag, true) && ul_htab_full_hook && h->what)
		ul_htab_full_hook(h, oom);
}

static inline struct ul_hseg *seg_of(struct ul_htab *h, uint64_t hv)
{
	return &h->seg[hv >> 58]; /* UL_HSEGS = 64 */
}

void ul_htab_init(struct ul_htab *h, uint32_t initial, uint64_t max_entries)
{
	h->max_entries = max_entries;
	for (int i = 0; i < UL_HSEGS; i++)
		ul_mutex_register(&h->seg[i].lock); /* reset in a fork child */
	/* callers size for 16 segments; set last: a table is ready once it is */
	__atomic_store_n(&h->initial, initial * 16 / UL_HSEGS < 4 ? 4 : initial * 16 / UL_HSEGS,
			 __ATOMIC_RELEASE);
}

bool ul_htab_init_once(struct ul_htab *h, ul_mutex_t *lock, uint32_t initial, uint64_t max_entries,
		       const char *what)
{
	if (__atomic_load_n(&h->initial, __ATOMIC_ACQUIRE))
		return true;
	ul_mutex_lock(lock);
	if (!h->initial) {
		h->what = what;
		ul_htab_init(h, initial, max_entries);
	}
	ul_mutex_unlock(lock);
	return true;
}

static struct ul_hent *find(struct ul_harr *a, uint64_t hv, uint64_t key)
{
	struct ul_hent *tab = a->e;
	uint32_t mask = (uint32_t)a->mask;
	for (uint32_t i = (uint32_t)hv & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
		uint64_t k = atomic_load_explicit(&tab[i].key, memory_order_acquire);
		if (k == key)
			return &tab[i];
		if (k == 0)
			return NULL;
	}
	return NULL;
}

bool ul_htab_get(struct ul_htab *h, uint64_t key, uint64_t v[3])
{
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	struct ul_harr *a = atomic_load_explicit(&s->tab, memory_order_acquire);
	if (!a)
		return false;
	struct ul_hent *e = find(a, hv, key);
	if (!e)
		return false;
	for (int i = 0; i < 3; i++)
		v[i] = atomic_load_explicit(&e->v[i], memory_order_acquire);
	return true;
}

/* Called with the segment lock held. */
static bool grow(struct ul_htab *h, struct ul_hseg *s)
{
	struct ul_harr *old = s->tab;
	uint32_t n = old ? (uint32_t)(old->mask + 1) * 2 : h->initial;
	struct ul_harr *na = ul_alloc(sizeof(struct ul_harr) + (size_t)n * sizeof(struct ul_hent));
	if (!na)
		return false;
	na->mask = n - 1;
	struct ul_hent *nt = na->e;
	if (old) {
		for (uint32_t i = 0; i <= old->mask; i++) {
			uint64_t k = atomic_load_explicit(&old->e[i].key, memory_order_relaxed);
			if (!k)
				continue;
			uint32_t j = (uint32_t)ul_hash64(k) & (n - 1);
			while (atomic_load_explicit(&nt[j].key, memory_order_relaxed))
				j = (j + 1) & (n - 1);
			for (int x = 0; x < 3; x++)
				atomic_store_explicit(&nt[j].v[x],
						      atomic_load_explicit(&old->e[i].v[x], memory_order_relaxed),
						      memory_order_relaxed);
			atomic_store_explicit(&nt[j].key, k, memory_order_relaxed);
		}
	}
	atomic_store_explicit(&s->tab, na, memory_order_release);
	return true;
}

static int put_locked(struct ul_htab *h, struct ul_hseg *s, uint64_t hv, uint64_t key,
		      uint64_t v[3], bool replace, bool get)
{
	if (!s->tab && !grow(h, s)) {
		say_full(h, &h->oom, true);
		return -1;
	}
	struct ul_hent *e = find(s->tab, hv, key);
	if (e) {
		for (int i = 0; i < 3; i++) {
			if (get)
				v[i] = atomic_load_explicit(&e->v[i], memory_order_relaxed);
			else if (replace)
				atomic_store_explicit(&e->v[i], v[i], memory_order_relaxed);
		}
		return 0;
	}
	if (h->max_entries && atomic_load(&h->count) >= h->max_entries) {
		say_full(h, &h->full, false);
		return -1;
	}
	if ((s->used + 1) * 4 > (s->tab->mask + 1) * 3 && !grow(h, s)) {
		say_full(h, &h->oom, true);
		return -1;
	}
	struct ul_harr *a = s->tab;
	uint32_t i = (uint32_t)hv & (uint32_t)a->mask;
	while (atomic_load_explicit(&a->e[i].key, memory_order_relaxed))
		i = (i + 1) & (uint32_t)a->mask;
	for (int x = 0; x < 3; x++)
		atomic_store_explicit(&a->e[i].v[x], v[x], memory_order_relaxed);
	atomic_store_explicit(&a->e[i].key, key, memory_order_release);
	s->used++;
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	return 1;
}

int ul_htab_put(struct ul_htab *h, uint64_t key, const uint64_t v[3], bool replace)
{
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	uint64_t tmp[3] = { v[0], v[1], v[2] };
	ul_mutex_lock(&s->lock);
	int r = put_locked(h, s, hv, key, tmp, replace, false);
	ul_mutex_unlock(&s->lock);
	return r;
}

int ul_htab_get_or_put(struct ul_htab *h, uint64_t key, uint64_t v[3])
{
	if (ul_htab_get(h, key, v))
		return 0;
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	ul_mutex_lock(&s->lock);
	int r = put_locked(h, s, hv, key, v, false, true);
	ul_mutex_unlock(&s->lock);
	return r;
}

int ul_htab_swap(struct ul_htab *h, uint64_t key, const uint64_t v[3], uint64_t old[3])
{
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	ul_mutex_lock(&s->lock);
	struct ul_hent *e = s->tab ? find(s->tab, hv, key) : NULL;
	int r = 0;
	if (e) { /* one probe for the common case: the address is known */
		for (int i = 0; i < 3; i++) {
			old[i] = atomic_load_explicit(&e->v[i], memory_order_relaxed);
			atomic_store_explicit(&e->v[i], v[i], memory_order_relaxed);
		}
	} else {
		uint64_t tmp[3] = { v[0], v[1], v[2] };
		old[0] = old[1] = old[2] = 0;
		r = put_locked(h, s, hv, key, tmp, true, false);
	}
	ul_mutex_unlock(&s->lock);
	return r;
}

bool ul_htab_modify(struct ul_htab *h, uint64_t key, bool (*fn)(uint64_t v[3], void *arg), void *arg)
{
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	ul_mutex_lock(&s->lock);
	struct ul_hent *e = s->tab ? find(s->tab, hv, key) : NULL;
	bool ok = false;
	if (e) {
		uint64_t v[3];
		for (int i = 0; i < 3; i++)
			v[i] = atomic_load_explicit(&e->v[i], memory_order_relaxed);
		ok = fn(v, arg);
		for (int i = 0; ok && i < 3; i++)
			atomic_store_explicit(&e->v[i], v[i], memory_order_release);
	}
	ul_mutex_unlock(&s->lock);
	return ok;
}

bool ul_htab_set(struct ul_htab *h, uint64_t key, int idx, uint64_t val)
{
	uint64_t hv = ul_hash64(key);
	struct ul_hseg *s = seg_of(h, hv);
	ul_mutex_lock(&s->lock);
	struct ul_hent *e = s->tab ? find(s->tab, hv, key) : NULL;
	if (e)
		atomic_store_explicit(&e->v[idx], val, memory_order_release);
	ul_mutex_unlock(&s->lock);
	return e != NULL;
}
