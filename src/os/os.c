#define _GNU_SOURCE
#include "os.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Every helper keeps errno as it found it: the host program never sees ours. */

static long ul_futex(_Atomic int *uaddr, int op, int val)
{
	return syscall(SYS_futex, uaddr, op, val, NULL, NULL, 0);
}

void ul_mutex_lock(ul_mutex_t *m)
{
	int c = 0;
	if (atomic_compare_exchange_strong(&m->state, &c, 1))
		goto out;
	int e = errno;
	if (c != 2)
		c = atomic_exchange(&m->state, 2);
	while (c != 0) {
		ul_futex(&m->state, FUTEX_WAIT_PRIVATE, 2);
		c = atomic_exchange(&m->state, 2);
	}
	errno = e;
out:
	atomic_store_explicit(&m->owner, ul_gettid(), memory_order_relaxed);
}

void ul_mutex_unlock(ul_mutex_t *m)
{
	atomic_store_explicit(&m->owner, 0, memory_order_relaxed);
	if (atomic_exchange(&m->state, 0) == 2) {
		int e = errno;
		ul_futex(&m->state, FUTEX_WAKE_PRIVATE, 1);
		errno = e;
	}
}

void ul_mutex_reset(ul_mutex_t *m)
{
	atomic_store(&m->state, 0);
	atomic_store(&m->owner, 0);
}

extern ul_mutex_t __start_ul_mutexes[], __stop_ul_mutexes[];

/* 64 segment locks per hash table (about 25 tables), the graph lock and
 * others: room for all with some to spare. */
#define MAX_REGISTERED 4096
static ul_mutex_t *_Atomic registered[MAX_REGISTERED];
static _Atomic uint32_t nregistered;

void ul_mutex_register(ul_mutex_t *m)
{
	uint32_t i = atomic_fetch_add(&nregistered, 1);
	if (i < MAX_REGISTERED) {
		atomic_store(&registered[i], m);
		return;
	}
	/* a runtime bug, not a program's doing: say it, once */
	static const char msg[] = "ulockdep: internal: lock registry full, fork may hang\n";
	if (i == MAX_REGISTERED)
		ul_write_all(2, msg, sizeof msg - 1);
}

void ul_mutexes_reset_all(void)
{
	for (ul_mutex_t *m = __start_ul_mutexes; m < __stop_ul_mutexes; m++)
		ul_mutex_reset(m);
	uint32_t n = atomic_load(&nregistered);
	for (uint32_t i = 0; i < n && i < MAX_REGISTERED; i++) {
		ul_mutex_t *m = atomic_load(&registered[i]);
		if (m)
			ul_mutex_reset(m);
	}
}

/* Cached per thread: every internal lock records its owner. A fork child
 * forgets it (ul_tid_forget). */
static __thread int self_tid UL_TLS;

int ul_gettid(void)
{
	int tid = self_tid;
	if (unlikely(!tid))
		self_tid = tid = (int)syscall(SYS_gettid);
	return tid;
}

void ul_tid_forget(void)
{
	self_tid = 0;
}

int ul_getpid(void)
{
	return (int)syscall(SYS_getpid);
}

void *ul_map(size_t size)
{
	int e = errno;
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	errno = e;
	return p == MAP_FAILED ? NULL : p;
}

void ul_unmap(void *p, size_t size)
{
	int e = errno;
	syscall(SYS_munmap, p, size); /* not the interposed munmap() */
	errno = e;
}

/* Bump allocator for permanent runtime data: never calls malloc. */
UL_STATIC_MUTEX(alloc_lock);
static char *alloc_cur, *alloc_end;

void *ul_alloc(size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (size >= (1u << 20)) {
		if (size < (2u << 20))
			return ul_map(size);
		/* Big tables are probed at random: 2 MiB-aligned, huge pages
		 * where the kernel allows, so a probe costs fewer TLB misses. */
		size_t huge = 2u << 20;
		char *p = ul_map(size + huge);
		if (!p)
			return NULL;
		char *a = (char *)(((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1));
		if (a > p)
			ul_unmap(p, (size_t)(a - p));
		if (a + size < p + size + huge)
			ul_unmap(a + size, (size_t)(p + size + huge - (a + size)));
		int e = errno;
		madvise(a, size, MADV_HUGEPAGE);
		errno = e;
		return a;
	}
	ul_mutex_lock(&alloc_lock);
	if (!alloc_cur || (size_t)(alloc_end - alloc_cur) < size) {
		size_t chunk = 4u << 20;
		char *p = ul_map(chunk);
		if (!p) {
			ul_mutex_unlock(&alloc_lock);
			return NULL;
		}
		alloc_cur = p;
		alloc_end = p + chunk;
	}
	void *r = alloc_cur;
	alloc_cur += size;
	ul_mutex_unlock(&alloc_lock);
	return r;
}


uint64_t ul_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ul_sleep_ms(int ms)
{
	int e = errno;
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (syscall(SYS_nanosleep, &ts, &ts) != 0 && errno == EINTR)
		;
	errno = e;
}

ssize_t ul_write_all(int fd, const void *buf, size_t len)
{
	int e = errno;
	const char *p = buf;
	size_t left = len;
	while (left > 0) {
		ssize_t n = syscall(SYS_write, fd, p, left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	errno = e;
	return (ssize_t)(len - left);
}

int ul_open_append(const char *path)
{
	int e = errno;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path,
			      O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	errno = e;
	return fd;
}

int ul_open_read(const char *path)
{
	int e = errno;
	int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	errno = e;
	return fd;
}

ssize_t ul_read(int fd, void *buf, size_t len)
{
	int e = errno;
	ssize_t n;
	do
		n = syscall(SYS_read, fd, buf, len);
	while (n < 0 && errno == EINTR);
	errno = e;
	return n;
}

void ul_close(int fd)
{
	int e = errno;
	syscall(SYS_close, fd);
	errno = e;
}


void ul_block_signals(void *old)
{
	int e = errno;
	sigset_t all;
	sigfillset(&all);
	syscall(SYS_rt_sigprocmask, SIG_BLOCK, &all, old, _NSIG / 8);
	errno = e;
}

void ul_restore_signals(const void *old)
{
	int e = errno;
	syscall(SYS_rt_sigprocmask, SIG_SETMASK, old, NULL, _NSIG / 8);
	errno = e;
}

#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 35))
bool ul_module_of(const void *addr, uintptr_t *base, const char **name)
{
	struct dl_find_object fo;
	if (_dl_find_object((void *)addr, &fo) != 0 || !fo.dlfo_link_map)
		return false;
	*base = fo.dlfo_link_map->l_addr;
	*name = fo.dlfo_link_map->l_name ? fo.dlfo_link_map->l_name : "";
	return true;
}
#else
/* Older glibc: dladdr, which takes the loader's lock (documented limit). */
bool ul_module_of(const void *addr, uintptr_t *base, const char **name)
{
	Dl_info info;
	struct link_map *lm = NULL;
	if (!dladdr1((void *)addr, &info, (void **)&lm, RTLD_DL_LINKMAP) || !lm)
		return false;
	*base = lm->l_addr;
	*name = lm->l_name ? lm->l_name : "";
	return true;
}
#endif

bool ul_in_module(const void *addr)
{
	uintptr_t base;
	const char *name;
	int e = errno;
	bool r = ul_module_of(addr, &base, &name);
	errno = e;
	return r;
}

extern char **environ;

const char *ul_getenv(const char *name)
{
	if (environ)
		return getenv(name);
	/* before libc's own initialiser: the kernel's copy, read once */
	static char *env;
	static size_t len;
	if (!env) {
		size_t cap = 256 * 1024;
		char *buf = ul_map(cap);
		int fd = buf ? ul_open_read("/proc/self/environ") : -1;
		if (fd < 0)
			return NULL;
		ssize_t n;
		while (len < cap - 1 && (n = ul_read(fd, buf + len, cap - 1 - len)) > 0)
			len += (size_t)n;
		ul_close(fd);
		buf[len] = 0;
		env = buf;
	}
	size_t nl = strlen(name);
	for (size_t i = 0; i < len; i += strlen(env + i) + 1)
		if (!strncmp(env + i, name, nl) && env[i + nl] == '=')
			return env + i + nl + 1;
	return NULL;
}
