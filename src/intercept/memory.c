#define _GNU_SOURCE
/* free(): a held lock in freed memory is a bug, and a lock there must not
 * lend its history to whatever is allocated at that address next. */
#include "interpose.h"

#include <malloc.h>

/* Looked up, never interposed: wrap mode calls it by its own name. */
#ifdef UL_WRAP_MODE
#define usable_size(p) malloc_usable_size(p)
#else
#define usable_size(p) REAL(malloc_usable_size)(p)
#endif

static _Atomic int resolving;

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
	if (p && atomic_load_explicit(&ul_init_state, memory_order_relaxed) == 2) {
		struct ul_thread *t = ul_self;
		bool any = atomic_load_explicit(&ul_rt.lockpages.count, memory_order_relaxed) ||
			   (t && atomic_load_explicit(&t->depth, memory_order_relaxed));
		if (any && HAVE_REAL(malloc_usable_size) && (t = ul_enter()) != NULL) {
			int e = errno;
			ul_memory_freed(t, p, usable_size(p), UL_IP);
			ul_leave(t);
			errno = e;
		}
	}
	REAL(free)(p);
}
