#define _GNU_SOURCE
/* The end of memory ends the identity of the locks in it: free(), the
 * block realloc() leaves, munmap(), madvise() that drops pages, the range mremap() gives up, a
 * module dlclose() unloads, and whatever a new mapping (mmap, shmat)
 * replaces (a MAP_FIXED mapping over a live one, a SysV segment attached
 * over another), and a SysV segment shmdt() detaches. A held lock in freed memory is a bug; any lock
 * there must not lend its history to what is made at that address next. */
#include <dlfcn.h>
#include <link.h>
#include <malloc.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "interpose.h"

/* Looked up, never interposed: wrap mode calls it by its own name. */
#ifdef UL_WRAP_MODE
#define usable_size(p) malloc_usable_size(p)
#else
#define usable_size(p) REAL(malloc_usable_size)(p)
#endif

static _Atomic int resolving;

/* Are there locks in memory that can go away (or held ones to report)? */
static inline bool any_locks(void)
{
	struct ul_thread *t = ul_self;
	return atomic_load_explicit(&ul_init_state, memory_order_relaxed) == 2 &&
	       (atomic_load_explicit(&ul_rt.lockpages.count, memory_order_relaxed) ||
		(t && atomic_load_explicit(&t->depth, memory_order_relaxed)));
}

static void range_ends(const void *p, size_t size, uintptr_t ip)
{
	struct ul_thread *t;
	if (!p || !size || (t = ul_enter()) == NULL)
		return;
	int e = errno;
	ul_memory_freed(t, p, size, ip);
	ul_leave(t);
	errno = e;
}

INTERCEPTOR(void, free, (void *p))
{
	if (unlikely(!HAVE_REAL(free))) {
		if (atomic_exchange(&resolving, 1))
			return; /* dlsym bootstrap: leak this block */
		ul_resolve_reals();
		atomic_store(&resolving, 0);
		if (!HAVE_REAL(free))
			return;
	}
	if (p && any_locks() && HAVE_REAL(malloc_usable_size))
		range_ends(p, usable_size(p), UL_IP);
	REAL(free)(p);
}

#ifndef UL_WRAP_MODE
extern void *__libc_realloc(void *, size_t);
#endif

INTERCEPTOR(void *, realloc, (void *p, size_t n))
{
#ifndef UL_WRAP_MODE
	if (unlikely(!HAVE_REAL(realloc))) {
		if (atomic_load(&resolving))
			return __libc_realloc(p, n); /* dlsym bootstrap */
		atomic_store(&resolving, 1);
		ul_resolve_reals();
		atomic_store(&resolving, 0);
		if (!HAVE_REAL(realloc))
			return __libc_realloc(p, n);
	}
#endif
	if (!p || !any_locks() || !HAVE_REAL(malloc_usable_size))
		return REAL(realloc)(p, n);
	size_t old = usable_size(p);
	void *r = REAL(realloc)(p, n);
	/* range_ends keeps errno */
	if (r != p && (r || !n)) /* moved, or freed by realloc(p, 0) */
		range_ends(p, old, UL_IP);
	else if (r && n < old) /* shrunk in place: the tail is gone */
		range_ends((char *)p + n, old - n, UL_IP);
	return r;
}

/* munmap and mremap are plain system calls: made directly, so a malloc
 * that unmaps while dlsym() bootstraps us (jemalloc does) never waits for
 * a lookup that itself allocates. */
#ifdef UL_WRAP_MODE
#define SYS_MUNMAP(p, l) REAL(munmap)(p, l)
#define SYS_MADVISE(p, l, a) REAL(madvise)(p, l, a)
#define SYS_MREMAP(o, ol, nl, f, n) REAL(mremap)(o, ol, nl, f, n)
#else
#define SYS_MUNMAP(p, l) ((int)syscall(SYS_munmap, p, l))
#define SYS_MADVISE(p, l, a) ((int)syscall(SYS_madvise, p, l, a))
#define SYS_MREMAP(o, ol, nl, f, n) ((void *)syscall(SYS_mremap, o, ol, nl, f, n))
#endif

INTERCEPTOR(int, munmap, (void *p, size_t len))
{
	if (any_locks())
		range_ends(p, len, UL_IP);
	return SYS_MUNMAP(p, len);
}

/* Advice that drops the pages' contents (a later read finds zeros) ends
 * the locks there, as munmap does: an allocator that recycles memory this
 * way makes its next lock there anew. */
INTERCEPTOR(int, madvise, (void *p, size_t len, int advice))
{
	int r = SYS_MADVISE(p, len, advice);
	if (r == 0 && (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE) && any_locks())
		range_ends(p, len, UL_IP);
	return r;
}

INTERCEPTOR(void *, mremap, (void *old, size_t old_len, size_t new_len, int flags, ...))
{
	void *want = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		want = va_arg(ap, void *);
		va_end(ap);
	}
	void *r = SYS_MREMAP(old, old_len, new_len, flags, want);
	if (r == MAP_FAILED || !any_locks())
		return r;
	int e = errno;
	if (r != old && !(flags & MREMAP_DONTUNMAP))
		range_ends(old, old_len, UL_IP);
	else if (r == old && new_len < old_len)
		range_ends((char *)old + new_len, old_len - new_len, UL_IP);
	if ((flags & MREMAP_FIXED) && r != old)
		range_ends(r, new_len, UL_IP); /* whatever was mapped there is gone */
	errno = e;
	return r;
}

/* A new mapping holds no lock yet: whatever was at its addresses before
 * (a mapping MAP_FIXED replaced, a detached SysV segment) ends. */
#if defined(UL_WRAP_MODE) || !defined(SYS_mmap) || UINTPTR_MAX <= 0xffffffffu
#define SYS_MMAP(a, l, p, f, fd, o) REAL(mmap)(a, l, p, f, fd, o)
#define SYS_MMAP64(a, l, p, f, fd, o) REAL(mmap64)(a, l, p, f, fd, o)
#define MMAP_NEEDS_REAL 1
#else
/* 64-bit: one system call, no dlsym() while a malloc bootstraps us */
#define SYS_MMAP(a, l, p, f, fd, o) ((void *)syscall(SYS_mmap, a, l, p, f, fd, (long)(o)))
#define SYS_MMAP64(a, l, p, f, fd, o) ((void *)syscall(SYS_mmap, a, l, p, f, fd, (long)(o)))
#define MMAP_NEEDS_REAL 0
#endif

static void *mapped(void *r, size_t len, uintptr_t ip)
{
	if (r != MAP_FAILED && any_locks())
		range_ends(r, len, ip);
	return r;
}

INTERCEPTOR(void *, mmap, (void *a, size_t len, int prot, int flags, int fd, off_t off))
{
#if MMAP_NEEDS_REAL && !defined(UL_WRAP_MODE)
	if (!HAVE_REAL(mmap))
		ul_resolve_reals();
#endif
	return mapped(SYS_MMAP(a, len, prot, flags, fd, off), len, UL_IP);
}

INTERCEPTOR(void *, mmap64, (void *a, size_t len, int prot, int flags, int fd, off64_t off))
{
#if MMAP_NEEDS_REAL && !defined(UL_WRAP_MODE)
	if (!HAVE_REAL(mmap64))
		ul_resolve_reals();
#endif
	return mapped(SYS_MMAP64(a, len, prot, flags, fd, off), len, UL_IP);
}

/* Attached SysV segments, for shmdt(), which names only the address. A
 * segment not listed (the table is full) ends when something is mapped
 * at its address next. */
static struct {
	uintptr_t addr;
	size_t size;
} segs[64];
UL_STATIC_MUTEX(segs_lock);

INTERCEPTOR(void *, shmat, (int id, const void *a, int flags))
{
#ifndef UL_WRAP_MODE
	if (!HAVE_REAL(shmat))
		ul_resolve_reals();
#endif
	void *r = REAL(shmat)(id, a, flags);
	if (r == (void *)-1 || atomic_load(&ul_init_state) != 2)
		return r;
	int e = errno;
	struct shmid_ds ds;
	if (!shmctl(id, IPC_STAT, &ds)) {
		if (any_locks())
			range_ends(r, ds.shm_segsz, UL_IP);
		size_t i;
		ul_mutex_lock(&segs_lock);
		for (i = 0; i < UL_ARRAY_SIZE(segs); i++)
			if (!segs[i].addr || segs[i].addr == (uintptr_t)r) {
				segs[i].addr = (uintptr_t)r;
				segs[i].size = ds.shm_segsz;
				break;
			}
		ul_mutex_unlock(&segs_lock);
		struct ul_thread *t = i == UL_ARRAY_SIZE(segs) ? ul_enter() : NULL;
		if (t) {
			ul_notice_limit(UL_LIMIT_SHM_SEGS);
			ul_leave(t);
		}
	}
	errno = e;
	return r;
}

INTERCEPTOR(int, shmdt, (const void *a))
{
#ifndef UL_WRAP_MODE
	if (!HAVE_REAL(shmdt))
		ul_resolve_reals();
#endif
	size_t size = 0;
	if (atomic_load(&ul_init_state) == 2) {
		ul_mutex_lock(&segs_lock);
		for (size_t i = 0; i < UL_ARRAY_SIZE(segs); i++)
			if (segs[i].addr == (uintptr_t)a) {
				size = segs[i].size;
				segs[i].addr = 0;
				break;
			}
		ul_mutex_unlock(&segs_lock);
	}
	int r = REAL(shmdt)(a);
	if (!r && size && any_locks())
		range_ends(a, size, UL_IP); /* keeps errno */
	return r;
}

/* The address range of a loaded module. */
struct mod_range {
	uintptr_t base, lo, hi;
};

static int find_range(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct mod_range *m = arg;
	if (info->dlpi_addr != m->base || !info->dlpi_name || !info->dlpi_name[0])
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD)
			continue;
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr, hi = lo + ph->p_memsz;
		if (!m->lo || lo < m->lo)
			m->lo = lo;
		if (hi > m->hi)
			m->hi = hi;
	}
	return 1;
}

INTERCEPTOR(int, dlclose, (void *handle))
{
	if (!HAVE_REAL(dlclose))
		ul_resolve_reals();
	struct link_map *lm = NULL;
	struct mod_range m = { 0, 0, 0 };
	if (atomic_load(&ul_init_state) == 2 && !dlinfo(handle, RTLD_DI_LINKMAP, &lm) && lm) {
		m.base = lm->l_addr;
		dl_iterate_phdr(find_range, &m);
		struct ul_thread *t = m.hi ? ul_enter() : NULL;
		if (t) {
			int e = errno;
			ul_module_names_keep(m.lo, m.hi);
			ul_leave(t);
			errno = e;
		}
	}
	int r = REAL(dlclose)(handle);
	if (r || !m.hi)
		return r;
	/* still loaded (another handle, or RTLD_NODELETE): nothing ends */
	struct mod_range still = { m.base, 0, 0 };
	dl_iterate_phdr(find_range, &still);
	if (still.hi)
		return r;
	struct ul_thread *t = ul_enter();
	if (t) {
		int e = errno;
		ul_module_unloaded(m.lo, m.hi);
		ul_leave(t);
		errno = e;
	}
	return r;
}
