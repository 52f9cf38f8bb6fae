#define _GNU_SOURCE
/* Lock statistics: counters per thread and class, contention points per
 * class. Only reached when statistics are on: the fast path is skipped
 * then (t->lstat), so it costs nothing when they are off. */
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

#include "lockstat.h"

bool ul_lstat_on;

/* ---- clock: the TSC when it is invariant, else CLOCK_MONOTONIC (vDSO) ---- */
static bool use_tsc;
static uint64_t tsc0, ns0;

static inline uint64_t now_ticks(void)
{
#if defined(__x86_64__) || defined(__i386__)
	if (likely(use_tsc))
		return __rdtsc();
#endif
	return ul_now_ns();
}

static bool tsc_invariant(void)
{
#if defined(__x86_64__) || defined(__i386__)
	static char buf[16384];
	int fd = ul_open_read("/proc/cpuinfo");
	if (fd < 0)
		return false;
	ssize_t n = ul_read(fd, buf, sizeof buf - 1);
	ul_close(fd);
	if (n <= 0)
		return false;
	buf[n] = 0;
	char *flags = strstr(buf, "\nflags");
	char *eol = flags ? strchr(flags + 1, '\n') : NULL;
	if (!eol)
		return false;
	*eol = 0;
	return strstr(flags, " constant_tsc") && strstr(flags, " nonstop_tsc");
#else
	return false;
#endif
}

/* ---- which thread last took a lock, and from where (bounces and the
 * contending point). Direct-mapped by address, written only on change. ---- */
#define OWNER_BITS 16
struct owner {
	_Atomic uint64_t tag_tid; /* address tag << 32 | tid */
	_Atomic uintptr_t ip;
};
static struct owner *owners;

static inline struct owner *owner_of(const void *lock, uint64_t *tag)
{
	uint64_t h = (uintptr_t)lock * 0x9e3779b97f4a7c15ULL;
	*tag = (uint32_t)((uintptr_t)lock >> 3) | 1u;
	return &owners[h >> (64 - OWNER_BITS)];
}

/* ---- per-thread tables: open addressing by class id ---- */
struct ul_lstat_ent {
	uint32_t class_id;
	struct ul_lstat s;
};
struct ul_lstat_tab {
	uint32_t mask, used;
	struct ul_lstat_tab *next_free;
	size_t bytes;
	struct ul_lstat_ent e[];
};

UL_STATIC_MUTEX(lstat_lock);            /* totals, contention points, free list */
static struct ul_lstat_tab *totals;     /* exited threads, merged */
static struct ul_lstat_tab *free_tabs;
/* contention points by class id, allocated on first contention */
struct cpoints {
	struct ul_lstat_point contention[2 * UL_LSTAT_POINTS], contending[2 * UL_LSTAT_POINTS];
};
static struct cpoints **cps;

static struct ul_lstat_tab *tab_new(uint32_t slots)
{
	size_t bytes = sizeof(struct ul_lstat_tab) + slots * sizeof(struct ul_lstat_ent);
	struct ul_lstat_tab *t = ul_map(bytes);
	if (t) {
		t->mask = slots - 1;
		t->bytes = bytes;
	}
	return t;
}

static struct ul_lstat_ent *tab_slot(struct ul_lstat_tab *t, uint32_t class_id)
{
	for (uint32_t i = class_id * 0x9e3779b1u;; i++) {
		struct ul_lstat_ent *e = &t->e[i & t->mask];
		if (e->class_id == class_id || !e->class_id)
			return e;
	}
}

static void time_merge(struct ul_lstat_time *d, const struct ul_lstat_time *s)
{
	if (!s->nr)
		return;
	if (!d->nr || s->min < d->min)
		d->min = s->min;
	if (s->max > d->max)
		d->max = s->max;
	d->nr += s->nr;
	d->total += s->total;
}

static void stat_merge(struct ul_lstat *d, const struct ul_lstat *s)
{
	for (int m = 0; m < 2; m++) {
		d->acquisitions[m] += s->acquisitions[m];
		d->con_bounces[m] += s->con_bounces[m];
		d->acq_bounces[m] += s->acq_bounces[m];
		time_merge(&d->wait[m], &s->wait[m]);
		time_merge(&d->hold[m], &s->hold[m]);
	}
}

/* Add every entry of src into *dst, growing *dst as needed. */
static bool tab_merge(struct ul_lstat_tab **dst, const struct ul_lstat_tab *src)
{
	for (uint32_t i = 0; i <= src->mask; i++) {
		const struct ul_lstat_ent *se = &src->e[i];
		if (!se->class_id)
			continue;
		struct ul_lstat_tab *d = *dst;
		if (!d || (d->used + 1) * 2 > d->mask + 1) {
			struct ul_lstat_tab *n = tab_new(d ? (d->mask + 1) * 2 : 64);
			if (!n)
				return false;
			if (d) {
				tab_merge(&n, d);
				ul_unmap(d, d->bytes);
			}
			*dst = d = n;
		}
		struct ul_lstat_ent *de = tab_slot(d, se->class_id);
		if (!de->class_id) {
			de->class_id = se->class_id;
			d->used++;
		}
		stat_merge(&de->s, &se->s);
	}
	return true;
}

/* The thread's counters for a class; NULL if no memory. */
static struct ul_lstat *thread_stat_slow(struct ul_thread *t, uint32_t class_id);
static inline struct ul_lstat *thread_stat(struct ul_thread *t, uint32_t class_id)
{
	struct ul_lstat_tab *tab = t->lstat_tab;
	if (likely(tab)) {
		struct ul_lstat_ent *e = &tab->e[(class_id * 0x9e3779b1u) & tab->mask];
		if (likely(e->class_id == class_id))
			return &e->s;
	}
	return thread_stat_slow(t, class_id);
}

static struct ul_lstat *thread_stat_slow(struct ul_thread *t, uint32_t class_id)
{
	struct ul_lstat_tab *tab = t->lstat_tab;
	if (likely(tab)) {
		struct ul_lstat_ent *e = tab_slot(tab, class_id);
		if (likely(e->class_id == class_id))
			return &e->s;
		if ((tab->used + 1) * 2 <= tab->mask + 1) {
			e->class_id = class_id;
			tab->used++;
			return &e->s;
		}
		/* grow: the old table stays mapped, as ul_lstat_collect() may
		 * be reading it from another thread */
		struct ul_lstat_tab *n = tab_new((tab->mask + 1) * 2);
		if (!n || !tab_merge(&n, tab)) {
			ul_notice_limit(UL_LIMIT_LOCK_STAT);
			return NULL;
		}
		atomic_store_explicit((_Atomic(struct ul_lstat_tab *) *)&t->lstat_tab, n, memory_order_release);
		return thread_stat(t, class_id);
	}
	ul_mutex_lock(&lstat_lock);
	tab = free_tabs;
	if (tab)
		free_tabs = tab->next_free;
	ul_mutex_unlock(&lstat_lock);
	if (!tab && !(tab = tab_new(64))) {
		ul_notice_limit(UL_LIMIT_LOCK_STAT);
		return NULL;
	}
	tab->next_free = NULL;
	atomic_store_explicit((_Atomic(struct ul_lstat_tab *) *)&t->lstat_tab, tab, memory_order_release);
	return thread_stat(t, class_id);
}

static inline void time_add(struct ul_lstat_time *lt, uint64_t v)
{
	if (!lt->nr || v < lt->min)
		lt->min = v;
	if (v > lt->max)
		lt->max = v;
	lt->nr++;
	lt->total += v;
}

void ul_lstat_init(bool on)
{
	ul_lstat_on = on;
	if (!ul_lstat_on)
		return;
	owners = ul_map(sizeof(struct owner) << OWNER_BITS);
	cps = ul_map((size_t)(ul_rt.policy.max_classes + 2) * sizeof *cps);
	if (!owners || !cps) {
		ul_lstat_on = false; /* said at exit (report/lockstat.c) */
		return;
	}
	use_tsc = tsc_invariant();
	ns0 = ul_now_ns();
	tsc0 = now_ticks();
}

void ul_lstat_wait_begin(struct ul_thread *t, const void *lock)
{
	uint64_t tag;
	struct owner *o = owner_of(lock, &tag);
	uint64_t prev = atomic_load_explicit(&o->tag_tid, memory_order_relaxed);
	t->lstat_holder_ip = prev >> 32 == tag ? atomic_load_explicit(&o->ip, memory_order_relaxed) : 0;
	t->lstat_wait_lock = lock;
	t->lstat_wait_t0 = now_ticks();
}

/* Count ip in a small table of call sites; a new site replaces the least
 * frequent one when full (space-saving top-k). Under lstat_lock. */
static void point_add(struct ul_lstat_point *p, int n, uintptr_t ip)
{
	int min = 0;
	for (int i = 0; i < n; i++) {
		if (p[i].ip == ip || !p[i].ip) {
			p[i].ip = ip;
			p[i].n++;
			return;
		}
		if (p[i].n < p[min].n)
			min = i;
	}
	p[min].ip = ip;
	p[min].n++;
}

void ul_lstat_acquired(struct ul_thread *t, const void *lock, uint32_t class_id, uint8_t mode, uintptr_t ip,
		       struct ul_held *h)
{
	uint64_t now = now_ticks();
	if (h)
		h->lstat_t0 = now;
	struct ul_lstat *s = thread_stat(t, class_id);
	if (!s)
		return;
	int m = mode != UL_WRITE;
	s->acquisitions[m]++;
	uint64_t tag, me;
	struct owner *o = owner_of(lock, &tag);
	me = tag << 32 | (uint32_t)t->tid;
	uint64_t prev = atomic_load_explicit(&o->tag_tid, memory_order_relaxed);
	bool bounce = prev >> 32 == tag && prev != me;
	if (prev != me)
		atomic_store_explicit(&o->tag_tid, me, memory_order_relaxed);
	if (atomic_load_explicit(&o->ip, memory_order_relaxed) != ip)
		atomic_store_explicit(&o->ip, ip, memory_order_relaxed);
	if (bounce)
		s->acq_bounces[m]++;
	if (likely(t->lstat_wait_lock != lock))
		return;
	t->lstat_wait_lock = NULL;
	time_add(&s->wait[m], now - t->lstat_wait_t0);
	if (bounce)
		s->con_bounces[m]++;
	uint32_t id = class_id;
	if (id > (uint32_t)ul_rt.policy.max_classes + 1)
		return;
	ul_mutex_lock(&lstat_lock);
	if (!cps[id])
		cps[id] = ul_alloc(sizeof **cps);
	if (cps[id]) {
		point_add(cps[id]->contention, 2 * UL_LSTAT_POINTS, ip);
		if (t->lstat_holder_ip)
			point_add(cps[id]->contending, 2 * UL_LSTAT_POINTS, t->lstat_holder_ip);
	}
	ul_mutex_unlock(&lstat_lock);
}

void ul_lstat_released(struct ul_thread *t, const struct ul_held *h)
{
	if (!h->lstat_t0)
		return;
	uint64_t now = now_ticks();
	struct ul_lstat *s = thread_stat(t, h->class_id);
	if (s)
		time_add(&s->hold[h->mode != UL_WRITE], now - h->lstat_t0);
}

/* Called with the thread registry locked (ul_lstat_collect takes it too,
 * so a thread is counted either live or merged, never both). */
void ul_lstat_thread_exit(struct ul_thread *t)
{
	struct ul_lstat_tab *tab = t->lstat_tab;
	if (!tab)
		return;
	ul_mutex_lock(&lstat_lock);
	if (!tab_merge(&totals, tab))
		ul_notice_limit(UL_LIMIT_LOCK_STAT);
	t->lstat_tab = NULL;
	memset(tab->e, 0, (tab->mask + 1) * sizeof tab->e[0]);
	tab->used = 0;
	tab->next_free = free_tabs;
	free_tabs = tab;
	ul_mutex_unlock(&lstat_lock);
}

void ul_lstat_after_fork(struct ul_thread *self)
{
	ul_mutex_reset(&lstat_lock);
	totals = NULL; /* the parent's counts stay with the parent */
	free_tabs = NULL;
	if (cps)
		memset(cps, 0, (size_t)(ul_rt.policy.max_classes + 2) * sizeof *cps);
	if (self)
		self->lstat_tab = NULL;
}

static int cmp_class(const void *x, const void *y)
{
	const struct ul_lstat_class *a = x, *b = y;
	uint64_t ca = a->s.wait[0].nr + a->s.wait[1].nr, cb = b->s.wait[0].nr + b->s.wait[1].nr;
	if (ca != cb)
		return ca > cb ? -1 : 1;
	uint64_t qa = a->s.acquisitions[0] + a->s.acquisitions[1];
	uint64_t qb = b->s.acquisitions[0] + b->s.acquisitions[1];
	if (qa != qb)
		return qa > qb ? -1 : 1;
	return a->class_id < b->class_id ? -1 : a->class_id > b->class_id;
}

static void sort_points(struct ul_lstat_point *p, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && p[j].n > p[j - 1].n; j--) {
			struct ul_lstat_point x = p[j];
			p[j] = p[j - 1];
			p[j - 1] = x;
		}
}

static void time_to_ns(struct ul_lstat_time *lt, double f)
{
	lt->min = (uint64_t)((double)lt->min * f);
	lt->max = (uint64_t)((double)lt->max * f);
	lt->total = (uint64_t)((double)lt->total * f);
}

struct ul_lstat_class *ul_lstat_collect(uint32_t *n, size_t *bytes)
{
	*n = 0;
	if (!ul_lstat_on)
		return NULL;
	/* ticks -> ns over the whole run (at least 20 ms of it) */
	double f = 1.0;
	if (use_tsc) {
		uint64_t ns1;
		while ((ns1 = ul_now_ns()) - ns0 < 20000000u)
			;
		uint64_t tsc1 = now_ticks();
		f = tsc1 > tsc0 ? (double)(ns1 - ns0) / (double)(tsc1 - tsc0) : 1.0;
	}
	struct ul_lstat_tab *all = NULL;
	ul_threads_lock();
	ul_mutex_lock(&lstat_lock);
	if (totals)
		tab_merge(&all, totals);
	for (struct ul_thread *t = ul_threads_first(); t; t = t->next) {
		struct ul_lstat_tab *tab =
			atomic_load_explicit((_Atomic(struct ul_lstat_tab *) *)&t->lstat_tab, memory_order_acquire);
		if (tab)
			tab_merge(&all, tab);
	}
	ul_mutex_unlock(&lstat_lock);
	ul_threads_unlock();
	if (!all)
		return NULL;
	*bytes = (all->used + 1) * sizeof(struct ul_lstat_class);
	struct ul_lstat_class *out = ul_map(*bytes);
	if (!out) {
		ul_unmap(all, all->bytes);
		return NULL;
	}
	uint32_t k = 0;
	for (uint32_t i = 0; i <= all->mask; i++) {
		struct ul_lstat_ent *e = &all->e[i];
		if (!e->class_id)
			continue;
		struct ul_lstat_class *c = &out[k++];
		c->class_id = e->class_id;
		c->s = e->s;
		for (int m = 0; m < 2; m++) {
			time_to_ns(&c->s.wait[m], f);
			time_to_ns(&c->s.hold[m], f);
		}
		struct cpoints *cp = e->class_id <= (uint32_t)ul_rt.policy.max_classes + 1 ? cps[e->class_id] : NULL;
		if (cp) {
			struct cpoints tmp = *cp;
			sort_points(tmp.contention, 2 * UL_LSTAT_POINTS);
			sort_points(tmp.contending, 2 * UL_LSTAT_POINTS);
			memcpy(c->contention, tmp.contention, sizeof c->contention);
			memcpy(c->contending, tmp.contending, sizeof c->contending);
		}
	}
	ul_unmap(all, all->bytes);
	/* shell sort: no libc call that could allocate */
	for (uint32_t gap = k / 2; gap; gap /= 2)
		for (uint32_t i = gap; i < k; i++)
			for (uint32_t j = i; j >= gap && cmp_class(&out[j - gap], &out[j]) > 0; j -= gap) {
				struct ul_lstat_class x = out[j];
				out[j] = out[j - gap];
				out[j - gap] = x;
			}
	*n = k;
	return out;
}
