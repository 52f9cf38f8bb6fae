/* Where a lock was made. A call from inside an init wrapper (a project's
 * my_mutex_init(), uv_mutex_init, g_mutex_init...) is charged to the
 * wrapper's caller, so locks made through one wrapper keep distinct classes. */
#define _GNU_SOURCE
#include <execinfo.h>
#include <fnmatch.h>
#include <string.h>

#include "core.h"

static const char *const builtin[] = {
	"*mutex_init*", "*rwlock_init*", "*rw_lock_init*", "*spin_init*", "*spinlock_init*",
	"*lock_init", "*_lock_new", "*mutex_new", "*mutex_create*", "*rec_mutex_init*",
};

static struct ul_htab cache; /* function start ip -> 1 wrapper, 2 not */
UL_STATIC_MUTEX(cache_lock);

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

/* Is the code at return address ip inside an init wrapper? Cached per
 * call site: pthread_mutex_init may run a million times from one line. */
static bool is_wrapper(uintptr_t ip)
{
	uint64_t v[3];
	if (!cache.initial) {
		ul_mutex_lock(&cache_lock);
		if (!cache.initial)
			ul_htab_init(&cache, 64, 0);
		ul_mutex_unlock(&cache_lock);
	}
	if (ul_htab_get(&cache, ip, v))
		return v[0] == 1;
	char name[256];
	if (!ul_hooks.func_name || !ul_hooks.func_name(ip - 1, name, sizeof name)) {
		uint64_t nv[3] = { 2, 0, 0 };
		ul_htab_put(&cache, ip, nv, true);
		return false;
	}
	bool w = matches_list(name, ul_rt.policy.init_wrappers);
	for (size_t i = 0; !w && i < UL_ARRAY_SIZE(builtin); i++)
		w = !fnmatch(builtin[i], name, 0);
	if (!strcmp(name, "main"))
		w = false;
	uint64_t nv[3] = { w ? 1u : 2u, 0, 0 };
	ul_htab_put(&cache, ip, nv, true);
	return w;
}

uintptr_t ul_init_site(uintptr_t ip)
{
	if ((ul_self && ul_self->ctx) || !is_wrapper(ip))
		return ip;
	void *buf[24];
	int n = backtrace(buf, 24);
	int i = 0;
	while (i < n && (uintptr_t)buf[i] != ip)
		i++;
	for (; i < n; i++)
		if (!is_wrapper((uintptr_t)buf[i]))
			return (uintptr_t)buf[i];
	return ip;
}
