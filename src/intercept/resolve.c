#define _GNU_SOURCE
/* Finding the real functions behind the interposed names. */
#include <dlfcn.h>
#include <string.h>

#include "interpose.h"

#ifndef UL_WRAP_MODE
struct ul_real_fns ul_real;

/* The pthread_cond_* calls older than clockwait have an old ABI version
 * too: take the current one. Only these: a failed lookup mallocs its error
 * message, and the program's malloc may be initialising itself right now
 * (jemalloc makes a condvar under its init lock). */
static const char *const cond_v232[] = {
	"pthread_cond_init", "pthread_cond_destroy", "pthread_cond_wait", "pthread_cond_timedwait",
	"pthread_cond_signal", "pthread_cond_broadcast",
};

static void *find(const char *name)
{
	for (size_t i = 0; i < UL_ARRAY_SIZE(cond_v232); i++)
		if (!strcmp(name, cond_v232[i]))
			return dlvsym(RTLD_NEXT, name, "GLIBC_2.3.2");
	return dlsym(RTLD_NEXT, name);
}

void ul_resolve_reals(void)
{
	/* free first: dlsym itself may free memory while we resolve the rest */
	if (!ul_real.free)
		ul_real.free = (void (*)(void *))find("free");
#define UL_RESOLVE(ret, name, args) \
	if (!ul_real.name) ul_real.name = (ret(*) args)find(#name);
	UL_REAL_LIST(UL_RESOLVE)
}
#else
void ul_resolve_reals(void) {}
#endif
