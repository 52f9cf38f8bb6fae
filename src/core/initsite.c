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

/* A name that says it makes a lock: Lck__New, rw_pr_init, mysql_mutex_init,
 * g_rec_mutex_init, uv_rwlock_init, spinlockInit. Words split at '_', ':',
 * digits and lower-to-upper case changes. */
static bool lock_maker_name(const char *name)
{
	bool lk = false, mk = false;
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
		lk |= lock_word(w, n);
		mk |= make_word(w, n);
	}
	return lk && mk;
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

/* Library code a lock call passes through when it is not inlined. */
static bool is_std(const char *m)
{
	if (!strncmp(m, "_ZL", 3)) { /* a static function: _ZL20__gthread_mutex_lock... */
		m += 3;
		while (*m >= '0' && *m <= '9')
			m++;
	}
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
	if (!cache.initial) {
		ul_mutex_lock(&cache_lock);
		if (!cache.initial) {
			ul_htab_init(&cache, 64, 1u << 20);
			cache.what = "the init-site cache: wrapper lookups are repeated";
		}
		ul_mutex_unlock(&cache_lock);
	}
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
		if (is_std(s.name))
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

static int walk_to_caller(void **buf, int max, uintptr_t ip);

/* Where the lock at ip was made: key, role site, and the role site's caller
 * (0 when unknown). The caller splits a site that serves several roles
 * (class.c: made_key). */
void ul_init_site(uintptr_t ip, bool first_use, uintptr_t *key, uintptr_t *site, uintptr_t *caller)
{
	*key = *site = ip;
	*caller = 0;
	int depth = ul_rt.policy.class_depth > 1 ? (int)ul_rt.policy.class_depth : 1;
	if (ul_self && ul_self->ctx)
		return;
	unsigned r = roles(ip);
	void *buf[32];
	/* a short walk when the direct caller is the role frame: only its
	 * caller is needed (the runtime's own frames come first) */
	bool wrap = wrapper_at(r, 0, 0, first_use);
	/* the common case needs the stack only up to the role frame's caller */
	int n = wrap || depth > 1 ? backtrace(buf, 32) : walk_to_caller(buf, 12, ip);
	int i = 0;
	while (i < n && (uintptr_t)buf[i] != ip)
		i++;
	if (i == n)
		return;
	uint64_t h = ip;
	int k = 0;
	for (; wrap && i + 1 < n && wrapper_at(r, k, k ? roles((uintptr_t)buf[i - 1]) : 0, first_use);
	     i++, k++) {
		r = roles((uintptr_t)buf[i + 1]);
		h = ul_hash64(h ^ (uintptr_t)buf[i + 1]);
	}
	*site = (uintptr_t)buf[i];
	if (i + 1 < n)
		*caller = (uintptr_t)buf[i + 1];
	for (int d = 1; d < depth && i + d < n; d++)
		h = ul_hash64(h ^ (uintptr_t)buf[i + d]);
	*key = h == ip ? ip : (uintptr_t)(h | 1);
}

/* The stack frame that owns stack address a: the innermost frame whose
 * canonical frame address (the caller's stack pointer at the call) is
 * above a. Returns a pc in the owning function, or 0 when the unwinder is
 * not there. In the walk's callback a context's CFA is its callee's: the
 * bottom of its own frame, so the owner is the frame before the first
 * context whose CFA is above a. */
struct ul_unwind_context;
typedef int (*ul_unwind_fn)(struct ul_unwind_context *, void *);
static int (*unwind_backtrace)(ul_unwind_fn, void *);
static uintptr_t (*unwind_ip)(struct ul_unwind_context *);
static uintptr_t (*unwind_cfa)(struct ul_unwind_context *);
static _Atomic int unwind_state; /* 0 not yet, 1 ready, 2 missing (ul_unwind_init) */

struct owner_walk {
	uintptr_t a, pc, prev;
	int n;
};

static int owner_step(struct ul_unwind_context *ctx, void *arg)
{
	struct owner_walk *w = arg;
	uintptr_t cfa = unwind_cfa(ctx);
	w->n++;
	if (cfa > w->a) { /* the runtime's own frames are all below a */
		w->pc = w->prev;
		return 5; /* _URC_END_OF_STACK: stop */
	}
	w->prev = unwind_ip(ctx);
	return w->n < 64 ? 0 : 5;
}

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
	}
	int st = unwind_backtrace && unwind_ip && unwind_cfa ? 1 : 2;
	atomic_store_explicit(&unwind_state, st, memory_order_release);
}

/* The return addresses from here up to ip and one frame more (ip's
 * caller), at most max: the unwinder stops there instead of walking on
 * (each frame costs a lookup of its unwind table). */
struct site_walk {
	void **buf;
	int n, max;
	uintptr_t ip;
	bool found;
};

static int site_step(struct ul_unwind_context *ctx, void *arg)
{
	struct site_walk *w = arg;
	uintptr_t pc = unwind_ip(ctx);
	w->buf[w->n++] = (void *)pc;
	if (w->found || w->n >= w->max)
		return 5; /* _URC_END_OF_STACK: stop */
	w->found = pc == w->ip;
	return 0;
}

static int walk_to_caller(void **buf, int max, uintptr_t ip)
{
	if (atomic_load_explicit(&unwind_state, memory_order_acquire) != 1)
		return backtrace(buf, max);
	struct site_walk w = { buf, 0, max, ip, false };
	unwind_backtrace(site_step, &w);
	return w.n;
}

uintptr_t ul_stack_owner(uintptr_t a)
{
	if (atomic_load_explicit(&unwind_state, memory_order_acquire) != 1)
		return 0;
	struct owner_walk w = { a, 0, 0, 0 };
	unwind_backtrace(owner_step, &w);
	return w.pc;
}
