/* Stack depot: stacks are captured only on slow paths, stored once, and
 * referred to by a 32-bit id. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <string.h>

#include "core.h"

#define MAX_STACKS (1u << 20)
#define STACK_CHUNK 4096u /* ids per chunk of pointers, mapped on first use */

static struct ul_stack **_Atomic stacks[MAX_STACKS / STACK_CHUNK];
static _Atomic uint32_t nstacks;
UL_STATIC_MUTEX(depot_lock);
static uintptr_t rt_lo, rt_hi;

static int find_self(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	uintptr_t base = (uintptr_t)arg;
	if (info->dlpi_addr != base)
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X))
			continue;
		rt_lo = base + ph->p_vaddr;
		rt_hi = rt_lo + ph->p_memsz;
	}
	return 1;
}

/* Warm up the unwinder (it loads libgcc_s on first use) and find our text. */
void ul_stack_init(void)
{
#ifndef UL_WRAP_MODE
	void *buf[4];
	backtrace(buf, 4); /* loads libgcc_s now, not inside a lock wrapper */
#endif
	Dl_info info;
	if (dladdr((void *)ul_stack_init, &info) && info.dli_fbase) {
		/* Only a shared runtime has its own text range. */
		void *exe = dlopen(NULL, RTLD_LAZY | RTLD_NOLOAD);
		struct link_map *lm = exe;
		if (lm && (uintptr_t)info.dli_fbase != lm->l_addr)
			dl_iterate_phdr(find_self, info.dli_fbase);
	}
}

bool ul_ip_in_runtime(uintptr_t ip)
{
	return ip >= rt_lo && ip < rt_hi;
}

/* Capture the current stack, starting at the caller's frame 'from' if it
 * is found (the interceptor's return address), else after runtime frames. */
static uint32_t depot_put(uintptr_t *pc, uint32_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
	for (uint32_t i = 0; i < n; i++)
		h = ul_hash64(h ^ pc[i]);
	h |= 1;
	uint64_t v[3];
	if (ul_htab_get(&ul_rt.stacks, h, v))
		return (uint32_t)v[0];
	ul_mutex_lock(&depot_lock);
	uint32_t id = 0;
	if (ul_htab_get(&ul_rt.stacks, h, v)) {
		id = (uint32_t)v[0];
	} else if (atomic_load(&nstacks) + 1 < MAX_STACKS) {
		uint32_t nid = atomic_load(&nstacks) + 1;
		_Atomic(struct ul_stack **) *slot = &stacks[nid / STACK_CHUNK];
		struct ul_stack **chunk = atomic_load(slot);
		if (!chunk && (chunk = ul_map(STACK_CHUNK * sizeof *chunk)) != NULL)
			atomic_store_explicit(slot, chunk, memory_order_release);
		struct ul_stack *s = chunk ? ul_alloc(sizeof *s + n * sizeof(uintptr_t)) : NULL;
		if (!s)
			ul_notice_limit(UL_LIMIT_STACKS_OOM);
		if (s) {
			s->n = n;
			memcpy(s->pc, pc, n * sizeof(uintptr_t));
			id = nid;
			chunk[id % STACK_CHUNK] = s;
			atomic_store(&nstacks, id);
			uint64_t nv[3] = { id, 0, 0 };
			ul_htab_put(&ul_rt.stacks, h, nv, false);
		}
	}
	ul_mutex_unlock(&depot_lock);
	return id;
}

uint32_t ul_stack_capture_from(uintptr_t from)
{
	void *buf[UL_STACK_DEPTH + 16];
	int n = backtrace(buf, (int)UL_ARRAY_SIZE(buf));
	int start = -1;
	for (int i = 0; i < n && from; i++)
		if ((uintptr_t)buf[i] == from) {
			start = i;
			break;
		}
	if (start < 0) {
		start = 0;
		while (start < n && ul_ip_in_runtime((uintptr_t)buf[start]))
			start++;
		if (start == 0 && n > 1)
			start = 1; /* at least drop this function */
	}
	uintptr_t pc[UL_STACK_DEPTH];
	uint32_t k = 0;
	/* below the user's frames: the runtime's thread start and libc's */
	for (int i = start; i < n && k < UL_STACK_DEPTH; i++) {
		if (i > start && ul_ip_in_runtime((uintptr_t)buf[i]))
			break;
		pc[k++] = (uintptr_t)buf[i];
	}
	return depot_put(pc, k);
}

const struct ul_stack *ul_stack_get(uint32_t id)
{
	if (!id || id > atomic_load(&nstacks))
		return NULL;
	struct ul_stack **chunk = atomic_load_explicit(&stacks[id / STACK_CHUNK], memory_order_acquire);
	return chunk ? chunk[id % STACK_CHUNK] : NULL;
}
