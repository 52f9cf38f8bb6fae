#define _GNU_SOURCE
/* Finding the real functions behind the interposed names. */
#include <dlfcn.h>
#include <string.h>

#include "interpose.h"

#ifndef UL_WRAP_MODE
struct ul_real_fns ul_real;

static void *find(const char *name)
{
	/* pthread_cond_* has an old ABI version: take the current one. */
	if (!strncmp(name, "pthread_cond_", 13)) {
		void *p = dlvsym(RTLD_NEXT, name, "GLIBC_2.3.2");
		if (p)
			return p;
	}
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
