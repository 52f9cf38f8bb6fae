/* Lock objects (shadow entries) and lock classes. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core.h"

/* The layout: core.h, above the ul_sh_* helpers. */
void ul_lock_pack(const struct ul_lock *l, uint64_t v[3])
{
	v[0] = (uint64_t)l->class_id | (uint64_t)l->inst << 32;
	v[1] = (uint64_t)l->kind | (uint64_t)l->mutex_type << 8 | (uint64_t)l->origin << 16 |
	       (uint64_t)l->rw_writer_pref << UL_SH_WPREF | (uint64_t)l->dead << UL_SH_DEAD |
	       (uint64_t)l->novalidate << UL_SH_NOVALIDATE | (uint64_t)l->on_stack << UL_SH_STACK |
	       (uint64_t)l->foreign << UL_SH_FOREIGN | (uint64_t)l->subclass_default << UL_SH_SUBCLASS;
	v[2] = l->owner;
}

void ul_lock_unpack(uintptr_t addr, const uint64_t v[3], struct ul_lock *l)
{
	l->addr = addr;
	l->class_id = ul_sh_class(v);
	l->inst = ul_sh_inst(v);
	l->kind = (uint8_t)v[1];
	l->mutex_type = (uint8_t)(v[1] >> 8);
	l->origin = (uint8_t)(v[1] >> 16);
	l->rw_writer_pref = v[1] & UL_SH_BIT(UL_SH_WPREF);
	l->dead = ul_sh_dead(v);
	l->novalidate = ul_sh_novalidate(v);
	l->on_stack = v[1] & UL_SH_BIT(UL_SH_STACK);
	l->foreign = v[1] & UL_SH_BIT(UL_SH_FOREIGN);
	l->subclass_default = ul_sh_subclass(v);
	l->owner = v[2];
}

bool ul_lock_get(const void *addr, struct ul_lock *out)
{
	uint64_t v[3];
	if (!ul_htab_get(&ul_rt.locks, (uintptr_t)addr, v))
		return false;
	ul_lock_unpack((uintptr_t)addr, v, out);
	return !out->dead;
}

struct ul_class *ul_class_get(uint32_t id)
{
	if (!id || id > UL_MAX_CLASSES)
		return NULL;
	struct ul_class **chunk =
		atomic_load_explicit(&ul_rt.class_chunks[id / UL_CLASS_CHUNK], memory_order_acquire);
	return chunk ? chunk[id % UL_CLASS_CHUNK] : NULL;
}

/* A name the program handed over may live in a library it later unloads,
 * or in its own buffer: keep a copy. Control characters become '?', so a
 * name cannot start a line of its own in a report. */
static const char *name_copy(const char *name)
{
	if (!name)
		return NULL;
	size_t n = strnlen(name, 255);
	char *s = ul_alloc(n + 1);
	if (!s)
		return "(no memory)";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)name[i];
		s[i] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	s[n] = 0;
	return s;
}

/* Instance numbers, handed out to each thread in blocks: a counter shared
 * by every init would move its cache line between CPUs on each one (init
 * and destroy churn on several threads). The runtime is never re-entered
 * on one thread (ul_enter), so the block needs no atomics. Never 0. */
#define INST_BLOCK 64
static __thread uint32_t inst_next UL_TLS, inst_left UL_TLS;

static uint32_t inst_new(void)
{
	if (!inst_left) {
		inst_next = atomic_fetch_add(&ul_rt.next_inst, INST_BLOCK);
		inst_left = INST_BLOCK;
	}
	inst_left--;
	uint32_t id = ++inst_next;
	return id ? id : inst_new();
}

/* Called with graph_lock held. */
static uint32_t class_new(uint8_t origin, uintptr_t key, uintptr_t site, uint8_t kind,
			  const char *name, uint32_t base, uint8_t subclass)
{
	uint32_t id = atomic_load(&ul_rt.nclasses) + 1;
	if (id > ul_rt.policy.max_classes || id > UL_MAX_CLASSES) {
		ul_notice_limit(UL_LIMIT_CLASSES);
		return 0;
	}
	_Atomic(struct ul_class **) *slot = &ul_rt.class_chunks[id / UL_CLASS_CHUNK];
	struct ul_class **chunk = atomic_load(slot);
	if (!chunk) {
		chunk = ul_map(UL_CLASS_CHUNK * sizeof *chunk);
		if (!chunk) {
			ul_notice_limit(UL_LIMIT_CLASSES_OOM);
			return 0;
		}
		atomic_store_explicit(slot, chunk, memory_order_release);
	}
	struct ul_class *c = ul_alloc(sizeof *c);
	if (!c) {
		ul_notice_limit(UL_LIMIT_CLASSES_OOM);
		return 0;
	}
	c->id = id;
	c->base = base ? base : id;
	c->subclass = subclass;
	c->origin = origin;
	c->kind = kind;
	c->key = key;
	c->site = site;
	c->name = name_copy(name);
	c->node = ul_node_new(id, 0, 0);
	chunk[id % UL_CLASS_CHUNK] = c;
	atomic_store(&ul_rt.nclasses, id);
	return id;
}

static uint64_t class_hkey(uint8_t origin, uintptr_t key)
{
	return ((uint64_t)key << 3 | origin) + 1;
}

/* A key whose class was retired (its module unloaded) maps to 0 and gets
 * a new class on its next use. */
static uint32_t class_for(uint8_t origin, uintptr_t key, uintptr_t site, uint8_t kind,
			  const char *name, uintptr_t caller, bool split)
{
	uint64_t hk = class_hkey(origin, key);
	uint64_t v[3];
	if (ul_htab_get(&ul_rt.classkeys, hk, v) && v[0])
		return (uint32_t)v[0];
	ul_mutex_lock(&ul_rt.graph_lock);
	uint32_t id;
	if (ul_htab_get(&ul_rt.classkeys, hk, v) && v[0]) {
		id = (uint32_t)v[0];
	} else {
		/* made through wrappers: an earlier run may know its role site */
		id = key != site && !split && ul_hooks.site_class ? ul_hooks.site_class(origin, site) : 0;
		if (!id) {
			id = class_new(origin, key, site, kind, name, 0, 0);
			struct ul_class *c = ul_class_get(id);
			if (c) {
				c->caller = caller;
				c->split = split;
			}
		}
		if (id) {
			uint64_t nv[3] = { id, 0, 0 };
			ul_htab_put(&ul_rt.classkeys, hk, nv, true);
		} /* else past the limit: 0, the lock is not checked */
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
	return id;
}

uint32_t ul_class_for_key(uint8_t origin, uintptr_t key, uint8_t kind, const char *name)
{
	return class_for(origin, key, key, kind, name, 0, false);
}

uint32_t ul_class_for_site(uint8_t origin, uintptr_t key, uintptr_t site, uint8_t kind)
{
	return class_for(origin, key, site, kind, NULL, 0, false);
}

/* A family's root: its lowest class id. Joins point a root at a lower
 * one, so the walk is short and always ends. */
uint32_t ul_class_family(uint32_t id)
{
	while (id) { /* ids fall at every step: the walk ends */
		struct ul_class *c = ul_class_get(id);
		uint32_t f = c ? atomic_load_explicit(&c->family, memory_order_acquire) : 0;
		if (!f || f >= id)
			break;
		id = f;
	}
	return id;
}

bool ul_class_same_family(uint32_t a, uint32_t b)
{
	return a == b || (a && b && ul_class_family(a) == ul_class_family(b));
}

/* Two classes found to be one role become one family (the higher root
 * joins the lower). Called with graph_lock held. */
void ul_class_join(uint32_t a, uint32_t b)
{
	uint32_t fa = ul_class_family(a), fb = ul_class_family(b);
	if (!fa || !fb || fa == fb)
		return;
	uint32_t lo = fa < fb ? fa : fb, hi = fa < fb ? fb : fa;
	struct ul_class *h = ul_class_get(hi);
	if (!h)
		return;
	ul_graph_components_joined(hi, lo);
	atomic_store_explicit(&h->family, lo, memory_order_release);
	/* shorten the paths of the two classes themselves */
	struct ul_class *ca = ul_class_get(a), *cb = ul_class_get(b);
	if (ca && ca->id != lo)
		atomic_store_explicit(&ca->family, lo, memory_order_release);
	if (cb && cb->id != lo)
		atomic_store_explicit(&cb->family, lo, memory_order_release);
}

static uintptr_t func_of(uintptr_t ip);

/* Sites that made locks: (origin, site) -> the function that first called
 * the role frame, and the class it got. */
static struct ul_htab sites;
UL_STATIC_MUTEX(sites_lock);

/* A site that serves two or more calling functions is generic (a lock
 * wrapper of any name, an init helper): each (site, caller function) pair is
 * a class of its own, so two roles never share one. The first caller keeps the site's plain key;
 * the classes of a shared site are named with their caller. Splitting can
 * only miss orders (one role made from two callers is two classes), never
 * invent one. With --class-depth above 1 the caller is in the key already. */
static uint32_t made_class_find(uint8_t origin, uintptr_t key, uintptr_t site, uintptr_t caller,
				uint8_t kind);

/* The thread's last answer: the same (origin, key, site, caller) gets the
 * same class until a class is retired (a module unloaded). */
static _Atomic uint32_t retired_gen;
static __thread struct {
	uintptr_t key, site, caller;
	uint32_t id, gen;
	uint8_t origin;
} made_memo UL_TLS;

static uint32_t made_class(uint8_t origin, uintptr_t key, uintptr_t site, uintptr_t caller,
			   uint8_t kind)
{
	uint32_t gen = atomic_load_explicit(&retired_gen, memory_order_acquire);
	if (made_memo.id && made_memo.key == key && made_memo.site == site && made_memo.caller == caller &&
	    made_memo.origin == origin && made_memo.gen == gen)
		return made_memo.id;
	uint32_t id = made_class_find(origin, key, site, caller, kind);
	made_memo.key = key;
	made_memo.site = site;
	made_memo.caller = caller;
	made_memo.origin = origin;
	made_memo.gen = gen;
	made_memo.id = id;
	return id;
}

static uint32_t made_class_find(uint8_t origin, uintptr_t key, uintptr_t site, uintptr_t caller,
				uint8_t kind)
{
	if (!caller || ul_rt.policy.class_depth > 1)
		return class_for(origin, key, site, kind, NULL, 0, false);
	uintptr_t fn = func_of(caller); /* calls from one function: one role */
	ul_htab_init_once(&sites, &sites_lock, 64, 0, NULL);
	uint64_t sk = class_hkey(origin, site), v[3] = { fn, 0, 0 };
	if (ul_htab_get_or_put(&sites, sk, v) < 0 || v[0] == fn) {
		uint32_t id = class_for(origin, key, site, kind, NULL, caller, false);
		if (!v[1] && v[0] == fn)
			ul_htab_set(&sites, sk, 1, id);
		return id;
	}
	uint32_t id = class_for(origin, ul_hash64(key ^ fn) | 1, site, kind, NULL, caller, true);
	struct ul_class *c = ul_class_get(id), *first = ul_class_get((uint32_t)v[1]);
	if (c && c->split) {
		atomic_store(&c->shared, true);
		if (first && first->site == site)
			atomic_store(&c->family, first->id);
	}
	if (first && first->site == site)
		atomic_store(&first->shared, true);
	return id;
}

uint32_t ul_class_sub(uint32_t base, uint8_t subclass)
{
	struct ul_class *b = ul_class_get(base);
	if (!subclass || !b || subclass >= UL_MAX_SUBCLASS)
		return base;
	uint32_t id = atomic_load_explicit(&b->sub[subclass], memory_order_acquire);
	if (id)
		return id;
	ul_mutex_lock(&ul_rt.graph_lock);
	id = atomic_load(&b->sub[subclass]);
	if (!id) {
		id = class_new(b->origin, b->key, b->site, b->kind, NULL, base, subclass);
		if (!id)
			id = base;
		atomic_store_explicit(&b->sub[subclass], id, memory_order_release);
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
	return id;
}

/* Writable segments of the modules loaded at start-up (a quick first
 * look); later modules are found with the lock-free ul_in_module(). */
#define MAX_RANGES 256
static struct { uintptr_t lo, hi; } ranges[MAX_RANGES];
static int nranges;
static uintptr_t brk_start; /* the main heap starts here */

static int note_ranges(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	for (int i = 0; i < info->dlpi_phnum && nranges < MAX_RANGES; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W)) {
			ranges[nranges].lo = info->dlpi_addr + ph->p_vaddr;
			ranges[nranges].hi = ranges[nranges].lo + ph->p_memsz;
			nranges++;
		}
	}
	return 0;
}

void ul_static_ranges_init(void)
{
	brk_start = (uintptr_t)sbrk(0);
	dl_iterate_phdr(note_ranges, NULL);
}

/* In a module loaded at start-up (never unloaded)? */
static bool startup_static(uintptr_t a)
{
	for (int i = 0; i < nranges; i++)
		if (a >= ranges[i].lo && a < ranges[i].hi)
			return true;
	return false;
}

bool ul_is_static_addr(const void *addr)
{
	if (startup_static((uintptr_t)addr))
		return true;
	/* the main heap is never a module's data */
	if ((uintptr_t)addr >= brk_start && (uintptr_t)addr < (uintptr_t)sbrk(0))
		return false;
	/* modules loaded after start-up: never dladdr here (loader lock) */
	return ul_in_module(addr);
}

/* Pages that hold heap locks, so free() finds them without probing: each
 * page has a bitmap of the 4-byte words where a lock was made (and a flag
 * for a lock at an odd address, never seen in practice). Noting a lock
 * already noted is one load; a freed lock's bit is cleared. */
struct page_locks {
	_Atomic uint64_t bits[4096 / 4 / 64];
	_Atomic bool odd;
};

UL_STATIC_MUTEX(page_lock);

static struct page_locks *page_get(uint64_t pg)
{
	uint64_t v[3];
	if (!ul_htab_get(&ul_rt.lockpages, pg, v))
		return NULL;
	return (struct page_locks *)(uintptr_t)v[0];
}

/* Returns false if the lock could not be listed (no memory, table full):
 * its free() would go unseen, so the caller leaves it unchecked. */
static bool page_note(uintptr_t addr)
{
	uint64_t pg = (addr >> 12) + 1;
	struct page_locks *p = page_get(pg);
	if (!p) {
		ul_mutex_lock(&page_lock);
		p = page_get(pg);
		if (!p) {
			p = ul_alloc(sizeof *p);
			uint64_t v[3] = { (uintptr_t)p, 0, 0 };
			if (!p)
				ul_notice_limit(UL_LIMIT_PAGES_OOM);
			else if (ul_htab_put(&ul_rt.lockpages, pg, v, false) < 0)
				p = NULL; /* the table said it is full */
		}
		ul_mutex_unlock(&page_lock);
		if (!p)
			return false;
	}
	uint32_t w = (uint32_t)(addr & 4095) >> 2;
	uint64_t bit = (uint64_t)1 << (w & 63);
	if (!(atomic_load_explicit(&p->bits[w >> 6], memory_order_relaxed) & bit))
		atomic_fetch_or(&p->bits[w >> 6], bit);
	if ((addr & 3) && !atomic_load_explicit(&p->odd, memory_order_relaxed))
		atomic_store(&p->odd, true);
	return true;
}

static bool mark_ended(uint64_t v[3], void *arg)
{
	(void)arg;
	v[1] |= UL_SH_BIT(UL_SH_ENDED);
	return true;
}

/* The memory at a ended: the lock dies, and the entry says its memory
 * ended (bit 29), so a lock made there next is not a re-init of it. */
static void kill_if_live(uintptr_t a)
{
	uint64_t v[3];
	if (!ul_htab_get(&ul_rt.locks, a, v))
		return;
	if (!ul_sh_dead(v))
		ul_lock_kill((const void *)a);
	ul_htab_modify(&ul_rt.locks, a, mark_ended, NULL);
}

void ul_locks_in_range_kill(uintptr_t lo, uintptr_t hi)
{
	if (!atomic_load_explicit(&ul_rt.lockpages.count, memory_order_relaxed))
		return;
	for (uintptr_t pg = lo >> 12; pg <= (hi - 1) >> 12; pg++) {
		struct page_locks *p = page_get(pg + 1);
		if (!p)
			continue;
		uintptr_t base = pg << 12;
		uint32_t first = lo > base ? (uint32_t)(lo - base) >> 2 : 0;
		uint32_t last = hi - base < 4096 ? (uint32_t)(hi - base - 1) >> 2 : 1023;
		bool odd = atomic_load_explicit(&p->odd, memory_order_relaxed);
		for (uint32_t k = first >> 6; k <= last >> 6; k++) {
			uint64_t m = atomic_load_explicit(&p->bits[k], memory_order_relaxed);
			while (m) {
				uint32_t w = k * 64 + (uint32_t)__builtin_ctzll(m);
				m &= m - 1;
				if (w < first || w > last)
					continue;
				uintptr_t a = base + w * 4;
				for (uintptr_t x = a; x < a + (odd ? 4 : 1); x++)
					if (x >= lo && x < hi)
						kill_if_live(x);
				/* the memory is gone (nothing can make a lock in it
				 * before free returns) */
				if (a >= lo)
					atomic_fetch_and(&p->bits[k], ~((uint64_t)1 << (w & 63)));
			}
		}
	}
}

/* The instance's graph node goes with its identity. */
static void node_release(uint64_t node)
{
	if (!node)
		return;
	ul_mutex_lock(&ul_rt.graph_lock);
	ul_node_free((uint32_t)node);
	ul_mutex_unlock(&ul_rt.graph_lock);
}

static bool kill_entry(uint64_t v[3], void *arg)
{
	*(uint64_t *)arg = ul_sh_node(v);
	ul_sh_set_node(v, 0);
	v[1] |= UL_SH_BIT(UL_SH_DEAD);
	return true;
}

void ul_lock_kill(const void *addr)
{
	uint64_t node = 0;
	if (!ul_htab_modify(&ul_rt.locks, (uintptr_t)addr, kill_entry, &node))
		return;
	atomic_fetch_add(ul_lock_epoch(addr), 1);
	node_release(node);
}

static void insert_lock(struct ul_lock *l)
{
	/* listed by page so free(), munmap() and dlclose() find it; one that
	 * cannot be listed would end unseen: never trusted */
	if ((l->origin != UL_ORIGIN_STATIC || !startup_static(l->addr)) && !page_note(l->addr))
		l->novalidate = true;
	uint64_t v[3], old[3];
	ul_lock_pack(l, v);
	int r = ul_htab_swap(&ul_rt.locks, l->addr, v, old);
	if (r < 0) {
		ul_notice_limit(UL_LIMIT_LOCKS);
		return;
	}
	bool was_live = r == 0 && !ul_sh_dead(old);
	node_release(r == 0 ? ul_sh_node(old) : 0);
	/* an address got a new identity: caches must forget it (a kill
	 * already made them forget a dead one) */
	if (was_live)
		atomic_fetch_add(ul_lock_epoch((const void *)l->addr), 1);
	/* lock objects per class count addresses: an address made again in
	 * its class (init/destroy churn) writes no shared counter */
	if (r == 0 && (uint32_t)old[0] == l->class_id)
		return;
	if (was_live) { /* moving to another class (set_class) leaves the old one */
		struct ul_class *oc = ul_class_get((uint32_t)old[0]);
		if (oc && atomic_load(&oc->nlocks))
			atomic_fetch_sub(&oc->nlocks, 1);
	}
	struct ul_class *c = ul_class_get(l->class_id);
	if (c)
		atomic_fetch_add_explicit(&c->nlocks, 1, memory_order_relaxed);
}

static bool core_sym(uintptr_t addr, struct ul_core_sym *out)
{
	return ul_hooks.symbol && ul_hooks.symbol(addr, out);
}

/* In the live part of the calling thread's stack, [here, top)? Not when
 * the thread runs on a stack of its own making (a coroutine's). */
static bool on_own_stack(struct ul_thread *t, uintptr_t a)
{
	uintptr_t here = (uintptr_t)__builtin_frame_address(0);
	if (!t || t->ctx || a < here)
		return false;
	/* Bounds come from the thread's start (ul_thread_set_stack), never
	 * from here: finding them allocates, and a lock path may be inside
	 * the program's allocator (jemalloc's own locks). Unknown: not on it. */
	if (!t->stack_hi)
		t->stack_hi = 1;
	return here >= t->stack_lo && a < t->stack_hi;
}

/* The function holding return address ip, cached per ip. */
static struct ul_htab funcs;
UL_STATIC_MUTEX(funcs_lock);

static uintptr_t func_of(uintptr_t ip)
{
	uint64_t v[3];
	ul_htab_init_once(&funcs, &funcs_lock, 64, 0, NULL);
	if (ul_htab_get(&funcs, ip, v))
		return v[0];
	struct ul_core_sym s;
	uintptr_t f = ip;
	if (core_sym(ip - 1, &s))
		f = s.start;
	uint64_t nv[3] = { f, 0, 0 };
	ul_htab_put(&funcs, ip, nv, true);
	return f;
}

/* The function whose stack frame holds stack address addr (the frame that
 * owns the lock, whichever helper or guard takes it); the role frame's
 * function when the unwinder is missing. */
static uintptr_t stack_owner(const void *addr, uintptr_t ip)
{
	uintptr_t pc = ul_stack_owner((uintptr_t)addr);
	if (!pc) {
		uintptr_t key, caller;
		ul_init_site(ip, true, &key, &pc, &caller);
	}
	return func_of(pc);
}

/* First sight without init: a static lock is its own class; anything else
 * (heap, stack, mmap) is classed by the role frame that first took it. */
static void first_use(const void *addr, uint8_t kind, uintptr_t ip, struct ul_lock *out)
{
	memset(out, 0, sizeof *out);
	out->addr = (uintptr_t)addr;
	out->kind = kind;
	if (ul_is_static_addr(addr)) {
		out->origin = UL_ORIGIN_STATIC;
		out->class_id = ul_class_for_key(UL_ORIGIN_STATIC, (uintptr_t)addr, kind, NULL);
	} else {
		uintptr_t key, site, caller;
		ul_init_site(ip, true, &key, &site, &caller);
		out->origin = UL_ORIGIN_FIRST_USE;
		out->class_id = made_class(UL_ORIGIN_FIRST_USE, key, site, caller, kind);
		if (ip && on_own_stack(ul_self, (uintptr_t)addr)) {
			out->on_stack = true;
			out->owner = stack_owner(addr, ip);
		}
	}
	out->novalidate = !out->class_id; /* past max_classes: not checked */
	out->inst = inst_new();
}

bool ul_lock_resolve(const void *addr, uint8_t kind, uintptr_t ip, struct ul_lock *out)
{
	uint64_t v[3];
	bool known = ul_htab_get(&ul_rt.locks, (uintptr_t)addr, v);
	if (known) {
		ul_lock_unpack((uintptr_t)addr, v, out);
		if (!out->dead)
			return true;
	}
	first_use(addr, kind, ip, out);
	if (atomic_load_explicit(&ul_rt.locks.full, memory_order_relaxed) && !known)
		return false;
	insert_lock(out);
	return true;
}

/* Stack memory is reused without anything the runtime could see. A lock
 * that was never initialised, on a thread's stack, starts a new identity
 * when it is not held by the taker and
 *   - the taker's stack holds it, but in the frame of another function
 *     than the one that owned it: another lock in a frame that reused it;
 *   - the taker's stack does not hold it (a local handed to another
 *     thread) and the last taker was another thread: which frame owns it
 *     is unknown, so it lends no history across threads;
 *   - it was first taken by another thread (a heap-like identity) and now
 *     by the thread on whose stack it is. */
bool ul_lock_stack_renew(struct ul_thread *t, const void *addr, uint8_t kind, uintptr_t ip,
			 struct ul_lock *out)
{
	if (!ip || !t || t->ctx)
		return false;
	/* a lock some thread holds is the same object still, whatever frame
	 * takes it now (a local mutex shared with a worker thread) */
	if (ul_hooks.lock_busy && ul_hooks.lock_busy(addr, kind))
		return false;
	if (!out->on_stack) {
		/* first taken by another thread: now by the thread whose stack it is on */
		if (out->origin != UL_ORIGIN_FIRST_USE || !on_own_stack(t, (uintptr_t)addr) ||
		    ul_held_find(t, addr))
			return false;
		ul_lock_kill(addr);
		first_use(addr, kind, ip, out);
		insert_lock(out);
		return true;
	}
	if (ul_held_find(t, addr))
		return false;
	if (!on_own_stack(t, (uintptr_t)addr)) {
		if (out->foreign && out->owner == (uintptr_t)t->tid)
			return false;
		ul_lock_kill(addr);
		first_use(addr, kind, ip, out);
		out->on_stack = out->foreign = true;
		out->owner = (uintptr_t)t->tid;
		insert_lock(out);
		return true;
	}
	if (!out->foreign && stack_owner(addr, ip) == out->owner)
		return false;
	ul_lock_kill(addr);
	first_use(addr, kind, ip, out);
	insert_lock(out);
	return true;
}

/* An object whose class is already known (a thread's handle, classed when
 * the thread was created). */
void ul_lock_register_class(const void *addr, uint8_t kind, uint8_t origin, uint32_t class_id)
{
	struct ul_lock l;
	memset(&l, 0, sizeof l);
	l.addr = (uintptr_t)addr;
	l.kind = kind;
	l.origin = origin;
	l.class_id = class_id;
	l.inst = inst_new();
	insert_lock(&l);
}

/* A lock re-made at the same site in memory that did not end (destroy and
 * init again, or init twice) is the same object's lock: it keeps its class
 * whichever function calls the site now. Splitting it by caller would turn
 * its same-class nesting (locks taken in index order) into two classes
 * ordered both ways. Not on this thread's stack: another frame may own the
 * address now. */
static uint32_t reinit_class(const void *addr, uint8_t origin, uintptr_t site)
{
	uint64_t v[3];
	if (!ul_htab_get(&ul_rt.locks, (uintptr_t)addr, v) || (v[1] & UL_SH_BIT(UL_SH_ENDED)) ||
	    ul_sh_origin(v) != origin || (v[1] & UL_SH_BIT(UL_SH_STACK)) || on_own_stack(ul_self, (uintptr_t)addr))
		return 0;
	struct ul_class *c = ul_class_get(ul_sh_class(v));
	return c && c->base == c->id && c->site == site ? c->id : 0;
}

void ul_lock_register(const void *addr, uint8_t kind, uint8_t mutex_type, bool writer_pref,
		      uintptr_t ip, uint8_t origin, struct ul_lock *out)
{
	uintptr_t key, site, caller;
	ul_init_site(ip, false, &key, &site, &caller);
	memset(out, 0, sizeof *out);
	out->addr = (uintptr_t)addr;
	out->kind = kind;
	out->mutex_type = mutex_type;
	out->rw_writer_pref = writer_pref;
	out->origin = origin;
	out->class_id = reinit_class(addr, origin, site);
	if (!out->class_id)
		out->class_id = made_class(origin, key, site, caller, kind);
	out->novalidate = !out->class_id; /* past max_classes: not checked */
	out->inst = inst_new();
	/* A global initialised at run time is named by its symbol, as the
	 * kernel names a class by the lock expression ("&foo"); a class that
	 * also makes locks elsewhere is named by its site (data2 = 1). */
	struct ul_class *c = ul_class_get(out->class_id);
	/* looked at for a class's first 64 inits only: the check may need
	 * dladdr, too slow for every init of a churned lock */
	uintptr_t d = c ? atomic_load(&c->data) : 0, d2 = c ? atomic_load(&c->data2) : 1;
	if (c && !(d && d2 == 1) && atomic_load_explicit(&c->data_checks, memory_order_relaxed) < 64) {
		atomic_fetch_add_explicit(&c->data_checks, 1, memory_order_relaxed);
		uintptr_t zero = 0;
		if (!ul_is_static_addr(addr)) {
			if (d2 != 1)
				atomic_store(&c->data2, 1);
		} else if (!atomic_compare_exchange_strong(&c->data, &zero, (uintptr_t)addr) &&
			   zero != (uintptr_t)addr) {
			atomic_compare_exchange_strong(&c->data2, &(uintptr_t){ 0 }, (uintptr_t)addr);
		}
	}
	insert_lock(out);
}



void ul_lock_set_class(const void *addr, uintptr_t key, const char *name, uint8_t subclass)
{
	struct ul_lock l;
	uint64_t v[3];
	if (ul_htab_get(&ul_rt.locks, (uintptr_t)addr, v)) {
		ul_lock_unpack((uintptr_t)addr, v, &l);
	} else {
		memset(&l, 0, sizeof l);
		l.addr = (uintptr_t)addr;
		l.inst = inst_new();
	}
	l.dead = false;
	l.origin = UL_ORIGIN_KEY;
	l.class_id = ul_class_for_key(UL_ORIGIN_KEY, key ? key : (uintptr_t)addr, l.kind, name);
	struct ul_class *c = ul_class_get(l.class_id);
	if (c && name && !c->name)
		c->name = name_copy(name);
	l.novalidate = !l.class_id;
	l.subclass_default = subclass;
	insert_lock(&l);
}

struct lock_change {
	int subclass;
	bool novalidate;
};

static bool change_entry(uint64_t v[3], void *arg)
{
	const struct lock_change *ch = arg;
	if (ch->subclass >= 0)
		v[1] = (v[1] & ~((uint64_t)0xff << 32)) | (uint64_t)(uint8_t)ch->subclass << 32;
	if (ch->novalidate)
		v[1] |= (uint64_t)1 << 26;
	return true;
}

/* Change a lock's default subclass or mark it novalidate, keeping its class
 * (and its instance node). */
static void lock_update(const void *addr, int subclass, bool novalidate)
{
	struct ul_lock l;
	if (!ul_lock_resolve(addr, UL_KIND_MUTEX, 0, &l))
		return;
	struct lock_change ch = { subclass, novalidate };
	ul_htab_modify(&ul_rt.locks, (uintptr_t)addr, change_entry, &ch);
	atomic_fetch_add(ul_lock_epoch(addr), 1);
}

void ul_lock_set_subclass(const void *addr, uint8_t subclass)
{
	lock_update(addr, subclass, false);
}

void ul_lock_set_novalidate(const void *addr)
{
	lock_update(addr, -1, true);
}

static bool same_symbol(uintptr_t a, uintptr_t b)
{
	struct ul_core_sym x, y;
	return core_sym(a, &x) && core_sym(b, &y) && x.start == y.start;
}

/* A class made at run time is named by its global when all its locks are in
 * that global (one lock or an array), else by its site: a generic init
 * site is not named after the first global that passed through it. */
static bool global_named(struct ul_class *c)
{
	uintptr_t d = atomic_load(&c->data), d2 = atomic_load(&c->data2);
	return d && d2 != 1 && (!d2 || same_symbol(d, d2));
}

/* A class of a site that serves several callers is named with its caller:
 * "lock@xlock+0x9 (w.c:5) from conn_io+0x12 (w.c:9)". */
static void with_caller(struct ul_class *c, char *buf, size_t len)
{
	size_t n = strlen(buf);
	if (!atomic_load(&c->shared) || !c->caller || n + 8 >= len)
		return;
	memcpy(buf + n, " from ", 7);
	ul_hooks.site_name(c->caller, buf + n + 6, len - n - 6);
}

/* Printed names seen so far (hash -> count): a class whose name another
 * class printed first gets "#2", "#3"..., so two classes never print alike. */
static struct ul_htab names;
UL_STATIC_MUTEX(names_lock);

/* Called with names_lock held. */
static void unique_name(char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const char *p = buf; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	if (!names.initial)
		ul_htab_init(&names, 64, 0);
	uint64_t v[3] = { 0, 0, 0 };
	int r = ul_htab_get_or_put(&names, h | 1, v);
	uint64_t nth = r < 0 ? 1 : ++v[0];
	if (r >= 0)
		ul_htab_set(&names, h | 1, 0, nth);
	size_t n = strlen(buf);
	if (nth > 1 && n + 12 < len)
		snprintf(buf + n, len - n, " #%lu", (unsigned long)nth);
}

const char *ul_class_name(struct ul_class *c)
{
	if (!c)
		return "(unknown)";
	if (c->base != c->id)
		return ul_class_name(ul_class_get(c->base));
	if (c->name)
		return c->name;
	char buf[512];
	switch (c->origin) {
	case UL_ORIGIN_STATIC:
		/* an API event's shadow is one byte into its object */
		ul_hooks.data_name(c->key - (c->kind == UL_KIND_EVENT), buf, sizeof buf);
		break;
	case UL_ORIGIN_INIT:
		if (c->kind == UL_KIND_THREAD) { /* a thread classed by where it was asked for */
			char site[480];
			ul_hooks.site_name(c->site, site, sizeof site);
			snprintf(buf, sizeof buf, "thread@%s", site);
			with_caller(c, buf, sizeof buf); /* asked for from several places */
		} else if (global_named(c)) {
			struct ul_core_sym sy;
			uintptr_t d = atomic_load(&c->data);
			ul_hooks.data_name(d, buf, sizeof buf);
			/* an array (many locks of one symbol) is named by the array;
			 * one member of a struct keeps its offset */
			char *plus = strchr(buf, '+');
			if (plus && atomic_load(&c->data2) && core_sym(d, &sy))
				*plus = 0;
		} else {
			ul_hooks.site_name(c->site, buf, sizeof buf);
			with_caller(c, buf, sizeof buf);
		}
		break;
	case UL_ORIGIN_FIRST_USE: {
		static const char *const what[] = { "lock", "lock", "lock", "lock", "cond", "sem", "barrier",
						     "thread", "once", "event" };
		char site[480];
		ul_hooks.site_name(c->site, site, sizeof site);
		snprintf(buf, sizeof buf, "%s@%s", c->kind < UL_ARRAY_SIZE(what) ? what[c->kind] : "lock", site);
		with_caller(c, buf, sizeof buf);
		break;
	}
	case UL_ORIGIN_KEY:
		if (c->kind == UL_KIND_THREAD) { /* a thread's class: its start routine */
			char fn[400];
			ul_hooks.data_name(c->site, fn, sizeof fn);
			snprintf(buf, sizeof buf, "thread:%s", fn);
			with_caller(c, buf, sizeof buf); /* a routine started from several places */
			break;
		}
		snprintf(buf, sizeof buf, "key@%#lx", (unsigned long)c->key);
		break;
	default:
		snprintf(buf, sizeof buf, "key@%#lx", (unsigned long)c->key);
	}
	ul_mutex_lock(&names_lock);
	if (c->name) { /* named by another thread meanwhile */
		ul_mutex_unlock(&names_lock);
		return c->name;
	}
	unique_name(buf, sizeof buf);
	size_t n = strlen(buf) + 1;
	char *s = ul_alloc(n);
	if (s) {
		memcpy(s, buf, n);
		c->name = s;
	}
	ul_mutex_unlock(&names_lock);
	return s ? s : "(no memory)";
}

const char *ul_class_label(struct ul_class *c)
{
	if (!c || !c->subclass)
		return ul_class_name(c);
	if (!c->label) {
		char buf[600];
		ul_class_format(c, buf, sizeof buf);
		size_t n = strlen(buf) + 1;
		char *s = ul_alloc(n);
		if (!s)
			return ul_class_name(c);
		memcpy(s, buf, n);
		c->label = s;
	}
	return c->label;
}

void ul_class_format(struct ul_class *c, char *buf, size_t len)
{
	const char *n = ul_class_name(c);
	if (c && c->subclass)
		snprintf(buf, len, "%s/%u", n, c->subclass);
	else
		snprintf(buf, len, "%s", n);
}

static bool in(uintptr_t a, uintptr_t lo, uintptr_t hi)
{
	return a >= lo && a < hi;
}

/* [lo, hi) is a module that may be unloaded: name its classes now, while
 * its symbols are there, and copy the names it lent (ulockdep_set_class). */
void ul_module_names_keep(uintptr_t lo, uintptr_t hi)
{
	uint32_t n = atomic_load(&ul_rt.nclasses);
	uintptr_t sites[64];
	int ns = 0;
	for (uint32_t id = 1; id <= n && ns < 64; id++) {
		struct ul_class *c = ul_class_get(id);
		if (c && c->base == id && !c->name && in(c->site, lo, hi))
			sites[ns++] = c->site;
	}
	if (ns && ul_hooks.prefetch)
		ul_hooks.prefetch(sites, ns); /* one symbolizer run for most of them */
	for (uint32_t id = 1; id <= n; id++) {
		struct ul_class *c = ul_class_get(id);
		if (!c)
			continue;
		if (c->name && in((uintptr_t)c->name, lo, hi)) {
			size_t len = strlen(c->name) + 1;
			char *copy = ul_alloc(len);
			if (copy)
				memcpy(copy, c->name, len);
			c->name = copy ? copy : "(unloaded)";
		}
		struct ul_class *b = ul_class_get(c->base);
		if (b && (in(b->site, lo, hi) || in(atomic_load(&b->data), lo, hi)))
			ul_class_label(c); /* the name, or "name/N" for a subclass */
	}
}

/* The module at [lo, hi) is gone: its classes give up their keys, so a
 * module loaded at the same address makes new classes, and its locks end. */
void ul_module_unloaded(uintptr_t lo, uintptr_t hi)
{
	uint32_t n = atomic_load(&ul_rt.nclasses);
	for (uint32_t id = 1; id <= n; id++) {
		struct ul_class *c = ul_class_get(id);
		if (!c || c->base != id)
			continue;
		if (!in(c->site, lo, hi) && !in(atomic_load(&c->data), lo, hi) &&
		    !(c->origin == UL_ORIGIN_KEY && in(c->key, lo, hi)))
			continue;
		uint64_t hk = class_hkey(c->origin, c->key);
		ul_mutex_lock(&ul_rt.graph_lock);
		uint64_t v[3];
		if (ul_htab_get(&ul_rt.classkeys, hk, v) && v[0] == id)
			ul_htab_set(&ul_rt.classkeys, hk, 0, 0);
		ul_mutex_unlock(&ul_rt.graph_lock);
		atomic_fetch_add(&retired_gen, 1); /* the threads' made_class memos */
	}
	ul_locks_in_range_kill(lo, hi);
	ul_steps_forget(lo, hi);
}
