/* Where a lock was made: the role site that keys its class.
 *
 * Calls from inside lock wrappers are charged to the first frame outside
 * them, so locks made through one wrapper keep a class per role. A frame is
 * a wrapper when
 *   - its name says it makes a lock: a lock word (lock, lck, mutex, mtx, rw,
 *     spin, latch...) and a make word (init, new, create...), in any case,
 *     or it matches --init-wrappers;
 *   - it is a C++ constructor of a type that owns the lock: the direct
 *     caller of the init function, or a small constructor above one;
 *   - it is tiny (ELF symbol size) and calls the init function directly;
 *   - for a lock never initialised, it is libstdc++'s or glibc's out-of-line
 *     code (std::, __gnu_cxx::, __gthread_*), seen at -O0.
 * The key hashes every frame from the direct caller up to the role frame
 * (and --class-depth - 1 more), so a wrapper that makes several locks still
 * gives each its own class. */
#define _GNU_SOURCE
#include <ctype.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <fnmatch.h>
#include <link.h>
#include <string.h>

#include "core.h"

#define TINY_FUNC 40   /* bytes: a function this small only forwards */
#define SMALL_CTOR 160 /* bytes: a constructor this small only builds its lock */

static struct ul_htab cache; /* return address -> role bits + 1 */
UL_STATIC_MUTEX(cache_lock);

enum { W_NAME = 1, W_CTOR = 2, W_TINY = 4, W_STD = 8, W_SMALL = 16 };

static bool matches_list(const char *name, const char *list)
{
	while (list && *list) {
		const char *end = strchr(list, ',');
		size_t n = end ? (size_t)(end - list) : strlen(list);
		char pat[128];
		if (n && n < sizeof pat) {
			memcpy(pat, list, n);
			pat[n] = 0;
			if (!fnmatch(pat, name, 0))
				return true;
		}
		list += n + (end ? 1 : 0);
	}
	return false;
}

static bool starts(const char *w, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	return n >= k && !strncasecmp(w, pre, k);
}

static bool ends(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);
	return n >= k && !strncasecmp(w + n - k, suf, k);
}

static bool lock_word(const char *w, size_t n)
{
	if ((n == 5 && (starts(w, n, "clock") || starts(w, n, "block"))) || ends(w, n, "unlock"))
		return false;
	return ends(w, n, "lock") || ends(w, n, "lck") || starts(w, n, "mutex") ||
	       starts(w, n, "mtx") || starts(w, n, "latch") || starts(w, n, "spinlock") ||
	       (n == 2 && (starts(w, n, "rw") || starts(w, n, "cs"))) || (n == 4 && starts(w, n, "spin"));
}

static bool make_word(const char *w, size_t n)
{
	return starts(w, n, "init") || ends(w, n, "init") || (n == 3 && starts(w, n, "new")) ||
	       starts(w, n, "create") || starts(w, n, "alloc") || starts(w, n, "setup") ||
	       starts(w, n, "construct") || (n == 4 && starts(w, n, "make"));
}

static bool take_word(const char *w, size_t n)
{
	return starts(w, n, "acquire") || (n == 5 && starts(w, n, "guard")) || (n == 5 && starts(w, n, "enter")) ||
	       (n == 4 && starts(w, n, "take"));
}

/* The words of a name: split at '_', ':', digits and lower-to-upper case
 * changes. lk: a lock word; mk: a make word; tk: a take word. */
static void name_words(const char *name, bool *lk, bool *mk, bool *tk)
{
	*lk = *mk = *tk = false;
	const char *p = name;
	while (*p) {
		while (*p && !isalpha((unsigned char)*p))
			p++;
		const char *w = p;
		while (*p && isalpha((unsigned char)*p) &&
		       !(p > w && isupper((unsigned char)*p) && islower((unsigned char)p[-1])))
			p++;
		size_t n = (size_t)(p - w);
		if (!n)
			break;
		*lk |= lock_word(w, n);
		*mk |= make_word(w, n);
		*tk |= take_word(w, n);
	}
}

/* A name that says it makes a lock: Lck__New, rw_pr_init, mysql_mutex_init,
 * g_rec_mutex_init, uv_rwlock_init, spinlockInit. */
static bool lock_maker_name(const char *name)
{
	bool lk, mk, tk;
	name_words(name, &lk, &mk, &tk);
	return lk && mk;
}

/* A name that says it works on locks for others: xlock, lock_two,
 * Mutex::lock, acquire_all, LockGuard, EnterCriticalSection. */
bool ul_lock_op_name(const char *name)
{
	bool lk, mk, tk;
	name_words(name, &lk, &mk, &tk);
	return lk || tk;
}

bool ul_lock_maker_name(const char *name)
{
	const char *wl = ul_rt.policy.init_wrappers;
	return lock_maker_name(name) || matches_list(name, wl);
}

/* Skip an Itanium <source-name> or template argument list at *p. */
static const char *skip_template(const char *p)
{
	int depth = 0;
	while (*p) {
		if (*p >= '0' && *p <= '9') {
			unsigned long n = 0;
			while (*p >= '0' && *p <= '9')
				n = n * 10 + (unsigned long)(*p++ - '0');
			if (strnlen(p, n) < n)
				return p + strlen(p);
			p += n;
			continue;
		}
		if (*p == 'I' || *p == 'L' || *p == 'X' || *p == 'N')
			depth++;
		else if (*p == 'E' && --depth == 0)
			return p + 1;
		p++;
	}
	return p;
}

/* A C++ constructor, from its mangled name: _ZN ... C1/C2/C3 E. */
static bool is_ctor(const char *m)
{
	if (strncmp(m, "_ZN", 3))
		return false;
	const char *p = m + 3;
	while (*p == 'r' || *p == 'V' || *p == 'K' || *p == 'R' || *p == 'O')
		p++;
	while (*p && *p != 'E') {
		if (*p >= '0' && *p <= '9') {
			unsigned long n = 0;
			while (*p >= '0' && *p <= '9')
				n = n * 10 + (unsigned long)(*p++ - '0');
			if (strnlen(p, n) < n)
				return false;
			p += n;
		} else if (*p == 'S') {
			p++;
			if (*p >= 'a' && *p <= 'z') {
				p++;
			} else {
				while (*p && *p != '_')
					p++;
				if (*p)
					p++;
			}
		} else if (*p == 'I') {
			p = skip_template(p);
		} else if (*p == 'B') { /* abi tag */
			p++;
		} else if (*p == 'C' && (p[1] == '1' || p[1] == '2' || p[1] == '3' || p[1] == 'I')) {
			return true;
		} else {
			return false;
		}
	}
	return false;
}

/* Library code that runs the program's callable (std::thread's _M_run,
 * std::function's _M_invoke, std::__invoke_impl): at -O2 the callable is
 * inlined into it, so it is the program's frame, not a wrapper. */
bool ul_runs_callable(const char *m)
{
	return strstr(m, "6_M_runEv") || strstr(m, "9_M_invokeE") || strstr(m, "13__invoke_impl");
}

/* Library code a lock call passes through (std::, __gthread_*, glibc's). */
bool ul_library_frame(const char *m)
{
	if (!strncmp(m, "_ZL", 3)) { /* a static function: _ZL20__gthread_mutex_lock... */
		m += 3;
		while (*m >= '0' && *m <= '9')
			m++;
	}
	if (ul_runs_callable(m))
		return false;
	return !strncmp(m, "__gthread_", 10) || !strncmp(m, "__gthrw_", 8) || !strncmp(m, "_ZNSt", 5) ||
	       !strncmp(m, "_ZSt", 4) || !strncmp(m, "_ZNKSt", 6) || !strncmp(m, "_ZN9__gnu_cxx", 13) ||
	       !strncmp(m, "_ZNK9__gnu_cxx", 14) || !strncmp(m, "__pthread_", 10) ||
	       !strncmp(m, "call_once", 9);
}

/* Role bits of the function holding return address ip, cached per ip:
 * pthread_mutex_init may run a million times from one line. */
static unsigned roles(uintptr_t ip)
{
	uint64_t v[3];
	ul_htab_init_once(&cache, &cache_lock, 64, 1u << 20,
			  "the init-site cache: wrapper lookups are repeated");
	if (ul_htab_get(&cache, ip, v))
		return (unsigned)v[0] - 1;
	struct ul_core_sym s;
	unsigned r = 0;
	const char *wl = ul_rt.policy.init_wrappers;
	if (ul_hooks.symbol && ul_hooks.symbol(ip - 1, &s) && strcmp(s.name, "main")) {
		if (matches_list(s.name, wl) || lock_maker_name(s.name))
			r |= W_NAME;
		if (is_ctor(s.name))
			r |= W_CTOR | (s.size && s.size <= SMALL_CTOR ? W_SMALL : 0);
		if (s.size && s.size <= TINY_FUNC)
			r |= W_TINY;
		if (ul_library_frame(s.name))
			r |= W_STD;
		/* demangled names for --init-wrappers globs written in C++ */
		if (!(r & W_NAME) && wl && *wl && !strncmp(s.name, "_Z", 2) && ul_hooks.demangle) {
			char d[256];
			if (ul_hooks.demangle(s.name, d, sizeof d) && matches_list(d, wl))
				r |= W_NAME;
		}
	}
	uint64_t nv[3] = { r + 1, 0, 0 };
	ul_htab_put(&cache, ip, nv, true);
	return r;
}

/* Is the frame at depth k (0: the direct caller of the lock function) a
 * wrapper? prev: the roles of the frame below it. */
static bool wrapper_at(unsigned r, int k, unsigned prev, bool first_use)
{
	if (r & (W_NAME | W_STD))
		return true;
	if (first_use) /* lock_guard and friends are std:: */
		return false;
	if (k == 0)
		return r & (W_CTOR | W_TINY);
	/* a small constructor whose member's constructor made the lock */
	return (r & W_SMALL) && (prev & (W_CTOR | W_STD));
}

/* The libgcc unwinder, found at start-up (ul_unwind_init). In a walk's
 * callback a context's CFA is its callee's: the frame's own stack pointer
 * at the call. */
struct ul_unwind_context;
typedef int (*ul_unwind_fn)(struct ul_unwind_context *, void *);
static int (*unwind_backtrace)(ul_unwind_fn, void *);
static uintptr_t (*unwind_ip)(struct ul_unwind_context *);
static uintptr_t (*unwind_cfa)(struct ul_unwind_context *);
static uintptr_t (*unwind_gr)(struct ul_unwind_context *, int);
static uintptr_t (*unwind_ip_info)(struct ul_unwind_context *, int *);
static _Atomic int unwind_state; /* 0 not yet, 1 ready, 2 missing */

/* The runtime's own code: its frames never change size (no alloca, no
 * VLAs), so the owner walk may step them even when they keep a frame
 * pointer (ul_stack_owner). */
static uintptr_t own_lo, own_hi;

#ifndef UL_WRAP_MODE
static int own_code(struct dl_phdr_info *info, size_t size, void *base)
{
	(void)size;
	if ((void *)info->dlpi_addr != base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X)) {
			own_lo = info->dlpi_addr + ph->p_vaddr;
			own_hi = own_lo + ph->p_memsz;
		}
	}
	return 1;
}
#endif

/* At start-up, never on a lock path: dlopen and dlsym take the loader's
 * lock, which another thread may hold while it waits for one of ours. */
void ul_unwind_init(void)
{
	void *b[1];
	backtrace(b, 1); /* glibc loads libgcc_s for its own unwinding */
	void *h = dlopen("libgcc_s.so.1", RTLD_LAZY | RTLD_NOLOAD);
	if (h) {
		unwind_backtrace = (int (*)(ul_unwind_fn, void *))dlsym(h, "_Unwind_Backtrace");
		unwind_ip = (uintptr_t(*)(struct ul_unwind_context *))dlsym(h, "_Unwind_GetIP");
		unwind_cfa = (uintptr_t(*)(struct ul_unwind_context *))dlsym(h, "_Unwind_GetCFA");
		unwind_gr = (uintptr_t(*)(struct ul_unwind_context *, int))dlsym(h, "_Unwind_GetGR");
		unwind_ip_info = (uintptr_t(*)(struct ul_unwind_context *, int *))dlsym(h, "_Unwind_GetIPInfo");
	}
#ifndef UL_WRAP_MODE /* linked into the program: its code is not ours alone */
	Dl_info di;
	if (dladdr((void *)ul_unwind_init, &di) && di.dli_fbase)
		dl_iterate_phdr(own_code, di.dli_fbase);
#endif
	int st = unwind_backtrace && unwind_ip && unwind_cfa && unwind_gr && unwind_ip_info ? 1 : 2;
	atomic_store_explicit(&unwind_state, st, memory_order_release);
}

/* Frame steps learnt from the unwinder, so that later walks need no unwind
 * tables. For a return address pc: the distance from its frame's stack
 * pointer at the call to the frame's CFA, fixed for a pc whose CFA rule is
 * stack-pointer based. A frame kept by its frame pointer (rbp = CFA - 16:
 * -O0, or alloca and VLAs) may vary in size: its distance carries STEP_FP,
 * and only walks that check what they find step it (ul_init_site checks
 * the frames against ones the unwinder found; ul_stack_owner steps only
 * the runtime's own such frames). A pc seen with two distances, or with
 * rbp elsewhere inside its frame (a realigned stack), is never stepped.
 * One word per slot: pc << 16 | distance. x86-64 only: the return
 * address sits just below the CFA. */
#if defined(__x86_64__)
#define FAST_WALK 1
#else
#define FAST_WALK 0
#endif
/* The walks read stack words of other frames on purpose (a return
 * address, a saved frame pointer): never a sanitizer's business. */
#define STACK_READER __attribute__((no_sanitize_address))
#define STEP_SLOTS 8192 /* step_slot() takes 13 bits */
#define STEP_NEVER 0xffff
#define STEP_FP 1
static _Atomic uint64_t steps[STEP_SLOTS];

static _Atomic uint64_t *step_slot(uintptr_t pc)
{
	return &steps[((uint64_t)pc * 0x9e3779b97f4a7c15ULL) >> 51]; /* 13 bits: STEP_SLOTS */
}

/* The frame of pc spans [s, cfa); rbp is its rbp at the call, ra its
 * return address. A frame pointer has the return address just above it
 * (rbp elsewhere is a register like any other). */
STACK_READER static void step_learn(uintptr_t pc, uintptr_t s, uintptr_t cfa, uintptr_t rbp, uintptr_t ra)
{
	if (!FAST_WALK || !pc || (uint64_t)pc >> 47)
		return;
	uint64_t d = cfa - s;
	if (cfa <= s || d >= STEP_NEVER - 8 || d < 8 || (d & 7))
		d = STEP_NEVER;
	else if (rbp >= s && rbp + 16 <= cfa && *(const uintptr_t *)(rbp + 8) == ra)
		d = rbp == cfa - 16 ? d | STEP_FP : STEP_NEVER;
	_Atomic uint64_t *slot = step_slot(pc);
	uint64_t old = atomic_load_explicit(slot, memory_order_relaxed);
	if (old >> 16 == pc && (old & 0xffff) != d)
		d = STEP_NEVER;
	if (old != ((uint64_t)pc << 16 | d))
		atomic_store_explicit(slot, (uint64_t)pc << 16 | d, memory_order_relaxed);
}

/* The distance for pc (with STEP_FP), 0 when unknown or never stepped. */
static uintptr_t step_of(uintptr_t pc)
{
	uint64_t e = atomic_load_explicit(step_slot(pc), memory_order_relaxed);
	if (e >> 16 != pc || (e & 0xffff) == STEP_NEVER)
		return 0;
	return (uintptr_t)(e & 0xffff);
}

/* A module went away: its code addresses may be reused by another. */
void ul_steps_forget(uintptr_t lo, uintptr_t hi)
{
	for (int i = 0; i < STEP_SLOTS; i++) {
		uint64_t pc = atomic_load_explicit(&steps[i], memory_order_relaxed) >> 16;
		if (pc >= lo && pc < hi)
			atomic_store_explicit(&steps[i], 0, memory_order_relaxed);
	}
}

/* The calling thread's stack, when the walk may read it: known bounds, no
 * coroutine stack, s inside. */
static bool stack_bounds(uintptr_t s, uintptr_t *lo, uintptr_t *hi)
{
	struct ul_thread *t = ul_self;
	if (!FAST_WALK || !t || t->ctx || t->stack_hi <= 1 || s < t->stack_lo || s >= t->stack_hi)
		return false;
	*lo = t->stack_lo;
	*hi = t->stack_hi;
	return true;
}

/* One learnt step from the frame (pc, s): its caller's (pc, s). Reads
 * only the return-address slot, inside the stack. */
STACK_READER static bool step(uintptr_t *pc, uintptr_t *s, uintptr_t hi)
{
	uintptr_t d = step_of(*pc) & ~(uintptr_t)STEP_FP;
	if (!d || *s + d > hi)
		return false;
	*s += d;
	*pc = *(const uintptr_t *)(*s - 8);
	return true;
}

/* Return addresses from the frame (pc, s) up to ip and after more frames
 * (or max in all), with learnt steps. *cut: stopped at a frame it cannot
 * step, before the unwinder would have. -1: no walk here. */
STACK_READER static int fast_frames(uintptr_t pc, uintptr_t s, void **buf, int max, uintptr_t ip, int after, bool *cut)
{
	uintptr_t lo, hi;
	if (!stack_bounds(s, &lo, &hi))
		return -1;
	int n = 0, left = -1;
	*cut = false;
	for (;;) {
		buf[n++] = (void *)pc;
		if (left < 0 && pc == ip)
			left = after;
		if ((left >= 0 && left-- == 0) || n == max)
			return n;
		if (!step(&pc, &s, hi)) {
			*cut = true;
			return n;
		}
	}
}

/* The unwinder's walk over the same frames, teaching the steps. */
struct uw_walk {
	void **buf;
	int n, max, after, left, ctxs;
	uintptr_t ip;
	uintptr_t pc, cfa, rbp; /* the previous context */
	uintptr_t a, owner;     /* ul_stack_owner */
};

/* A signal frame (the frame a signal interrupted, below it the kernel's
 * signal trampoline) is no call: neither is ever stepped. */
static void learn_ctx(struct uw_walk *w, struct ul_unwind_context *ctx, uintptr_t pc, uintptr_t cfa)
{
	int before = 0;
	unwind_ip_info(ctx, &before);
	if (w->ctxs++)
		step_learn(w->pc, w->cfa, before ? w->cfa : cfa, w->rbp, pc);
	if (before)
		step_learn(pc, cfa, cfa, 0, 0);
	w->pc = pc;
	w->cfa = cfa;
	w->rbp = unwind_gr(ctx, 6); /* rbp */
}

static int site_step(struct ul_unwind_context *ctx, void *arg)
{
	struct uw_walk *w = arg;
	uintptr_t pc = unwind_ip(ctx);
	learn_ctx(w, ctx, pc, unwind_cfa(ctx));
	if (w->ctxs == 1)
		return 0; /* walk()'s own frame */
	w->buf[w->n++] = (void *)pc;
	if (w->left < 0 && pc == w->ip)
		w->left = w->after;
	if ((w->left >= 0 && w->left-- == 0) || w->n == w->max)
		return 5; /* _URC_END_OF_STACK: stop */
	return 0;
}

/* Return addresses from walk()'s caller up, as fast_frames() gives them.
 * The fast walk starts from this frame's own CFA and return address, so
 * the unwinder's walk from here teaches exactly the steps it needs. */
static __attribute__((noinline)) int walk(void **buf, int max, uintptr_t ip, int after, bool full,
					  bool *cut, bool *fast)
{
	*fast = false;
	*cut = false;
	if (!full) {
		int n = fast_frames((uintptr_t)__builtin_return_address(0), (uintptr_t)__builtin_dwarf_cfa(),
				    buf, max, ip, after, cut);
		if (n >= 0) {
			*fast = true;
			return n;
		}
	}
	*cut = false;
	if (atomic_load_explicit(&unwind_state, memory_order_acquire) != 1) {
		void *b[33];
		int n = backtrace(b, max + 1);
		for (int i = 1; i < n; i++)
			buf[i - 1] = b[i];
		return n ? n - 1 : 0;
	}
	struct uw_walk w = { .buf = buf, .max = max, .after = after, .left = -1, .ip = ip };
	unwind_backtrace(site_step, &w);
	return w.n;
}

/* What ul_init_site learns from the frames. */
struct site_res {
	uintptr_t key, site, caller;
	int from, used; /* frames buf[from..used) decided it */
	bool ended;     /* and the stack ended there */
};

/* The site from return addresses buf[0..n). False when the frames stop
 * (cut) before the answer does. */
static bool site_from(void **buf, int n, bool cut, uintptr_t ip, bool first_use, int depth,
		      struct site_res *o)
{
	o->key = o->site = ip;
	o->caller = 0;
	o->from = o->used = 0;
	o->ended = !cut;
	int i = 0;
	while (i < n && (uintptr_t)buf[i] != ip)
		i++;
	if (i == n)
		return !cut;
	o->from = i;
	unsigned r = roles(ip);
	bool wrap = wrapper_at(r, 0, 0, first_use);
	uint64_t h = ip;
	int k = 0;
	for (; wrap && i + 1 < n && wrapper_at(r, k, k ? roles((uintptr_t)buf[i - 1]) : 0, first_use);
	     i++, k++) {
		r = roles((uintptr_t)buf[i + 1]);
		h = ul_hash64(h ^ (uintptr_t)buf[i + 1]);
	}
	int need = i + (depth > 2 ? depth : 2);
	if (cut && n < need)
		return false;
	o->used = n < need ? n : need;
	o->ended = n < need;
	o->site = (uintptr_t)buf[i];
	if (i + 1 < n)
		o->caller = (uintptr_t)buf[i + 1];
	for (int d = 1; d < depth && i + d < n; d++)
		h = ul_hash64(h ^ (uintptr_t)buf[i + d]);
	o->key = h == ip ? ip : (uintptr_t)(h | 1);
	return true;
}

/* Frames the unwinder found for a site: fingerprints of the frames (from
 * the site up) that decided its answer, any number per site. A fast
 * walk's answer is taken only when the unwinder once found the same
 * frames: a frame that stepped wrong (a distance learnt from one call of a
 * frame that varies) shows as frames never seen, and the unwinder decides. */
static struct ul_htab seen;
UL_STATIC_MUTEX(seen_lock);

static uint64_t frames_print(void **buf, const struct site_res *o, bool first_use)
{
	uint64_t h = first_use ? 0x9e3779b97f4a7c15ULL : 0;
	for (int i = o->from; i < o->used; i++)
		h = ul_hash64(h ^ (uintptr_t)buf[i]);
	return h | 1;
}

static bool seen_has(uint64_t fp)
{
	return seen.initial && ul_htab_has(&seen, fp);
}

static void seen_add(uint64_t fp)
{
	ul_htab_init_once(&seen, &seen_lock, 64, 1u << 20,
			  "the init-site frame cache: stack walks are repeated");
	uint64_t v[3] = { 1, 0, 0 };
	ul_htab_put(&seen, fp, v, false);
}

/* Where the lock at ip was made: key, role site, and the role site's caller
 * (0 when unknown). The caller splits a site that serves several roles
 * (class.c: made_key). The frames come from learnt steps when they match
 * frames the unwinder found before for ip, else from the unwinder. */
/* The thread's last answer, for a lock made again and again at one site:
 * the same frames from ip up give the same answer without the role and
 * remembered-frames lookups. The runtime is never re-entered on a thread. */
struct site_memo {
	uintptr_t ip;
	uint64_t print;
	int len; /* frames from ip that decided it */
	bool ended, first_use, wide;
	uintptr_t key, site, caller;
};
static __thread struct site_memo memo UL_TLS;

static bool memo_hit(void **buf, int n, bool cut, uintptr_t ip, bool first_use, struct site_res *o)
{
	if (memo.ip != ip || memo.first_use != first_use)
		return false;
	int i = 0;
	while (i < n && (uintptr_t)buf[i] != ip)
		i++;
	/* an answer decided by where the stack ended needs the same end */
	if (n - i < memo.len || (memo.ended && (cut || n - i != memo.len)))
		return false;
	struct site_res r = { .from = i, .used = i + memo.len };
	if (frames_print(buf, &r, first_use) != memo.print)
		return false;
	o->key = memo.key;
	o->site = memo.site;
	o->caller = memo.caller;
	return true;
}

/* Where the lock at ip was made: key, role site, and the role site's caller
 * (0 when unknown). The caller splits a site that serves several roles
 * (class.c: made_key). The frames come from learnt steps when they match
 * frames the unwinder found before for ip, else from the unwinder. */
void ul_init_site(uintptr_t ip, bool first_use, uintptr_t *key, uintptr_t *site, uintptr_t *caller)
{
	*key = *site = ip;
	*caller = 0;
	int depth = ul_rt.policy.class_depth > 1 ? (int)ul_rt.policy.class_depth : 1;
	if (ul_self && ul_self->ctx)
		return;
	/* the common case needs the stack only up to the role frame's caller */
	bool wide = memo.ip == ip && memo.first_use == first_use
			    ? memo.wide
			    : depth > 1 || wrapper_at(roles(ip), 0, 0, first_use);
	int max = wide ? 32 : 16, after = wide ? 32 : 1;
	void *buf[32];
	bool cut, fast;
	struct site_res o;
	/* one call site for both walks: the fast walk steps from it */
	for (bool full = false;; full = true) {
		int n = walk(buf, max, ip, after, full, &cut, &fast);
		if (fast && memo_hit(buf, n, cut, ip, first_use, &o))
			goto out;
		bool ok = site_from(buf, n, cut, ip, first_use, depth, &o);
		if (fast && ok && o.used && seen_has(frames_print(buf, &o, first_use)))
			break;
		if (!fast) {
			if (o.used)
				seen_add(frames_print(buf, &o, first_use));
			break;
		}
	}
	if (o.used)
		memo = (struct site_memo){ ip, frames_print(buf, &o, first_use), o.used - o.from, o.ended,
					   first_use, wide, o.key, o.site, o.caller };
out:
	*key = o.key;
	*site = o.site;
	*caller = o.caller;
}

/* The stack frame that owns stack address a: the innermost frame whose
 * CFA is above a. Returns a pc in the owning function, or 0 when the
 * unwinder is not there. In the unwinder's callback a context's CFA is
 * its callee's (the bottom of its own frame), so the owner is the frame
 * before the first context whose CFA is above a. */
static int owner_step(struct ul_unwind_context *ctx, void *arg)
{
	struct uw_walk *w = arg;
	uintptr_t pc = unwind_ip(ctx), prev = w->pc, cfa = unwind_cfa(ctx);
	learn_ctx(w, ctx, pc, cfa);
	if (cfa > w->a) { /* the runtime's own frames are all below a */
		w->owner = prev;
		return 5; /* _URC_END_OF_STACK: stop */
	}
	return w->ctxs < 64 ? 0 : 5;
}

/* With learnt steps first: a lock taken again and again (a local never
 * initialised is checked on every acquisition) costs no unwind. A frame
 * that cannot be stepped leaves it to the unwinder. */
STACK_READER __attribute__((noinline)) uintptr_t ul_stack_owner(uintptr_t a)
{
	uintptr_t pc = (uintptr_t)__builtin_return_address(0), s = (uintptr_t)__builtin_dwarf_cfa();
	uintptr_t lo, hi;
	if (stack_bounds(s, &lo, &hi) && s <= a && a < hi) {
		for (int n = 0; n < 62; n++) {
			uintptr_t d = step_of(pc);
			if ((d & STEP_FP) && !(pc >= own_lo && pc < own_hi))
				break; /* a frame of the program's that may vary */
			d &= ~(uintptr_t)STEP_FP;
			if (!d || s + d > hi)
				break;
			if (s + d > a)
				return pc;
			s += d;
			pc = *(const uintptr_t *)(s - 8);
		}
	}
	if (atomic_load_explicit(&unwind_state, memory_order_acquire) != 1)
		return 0;
	struct uw_walk w = { .a = a };
	unwind_backtrace(owner_step, &w);
	return w.owner;
}
