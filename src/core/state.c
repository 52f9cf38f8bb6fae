/* The core's global state and its one way out: findings and notices go
 * through the hooks the runtime installs. */
#include "core.h"

struct ul_runtime ul_rt;
struct ul_core_hooks ul_hooks;

bool ul_found(const struct ul_finding *f)
{
	return ul_hooks.finding ? ul_hooks.finding(f) : false;
}

void ul_notice_limit(enum ul_limit which)
{
	if ((unsigned)which >= UL_LIMIT_N || atomic_exchange(&ul_rt.limit_said[which], true))
		return;
	if (ul_hooks.limit)
		ul_hooks.limit(which);
}
