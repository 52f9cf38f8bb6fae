#define _GNU_SOURCE
/* The annotation API behind include/ulockdep.h. */
#include "../../include/ulockdep.h"
#include "../intercept/interpose.h"
#include "../report/report.h"

#define API __attribute__((visibility("default")))

int ul_mutex_lock_sub(pthread_mutex_t *m, unsigned sub, uintptr_t ip);
int ul_rwlock_lock_sub(pthread_rwlock_t *rw, bool write, unsigned sub, uintptr_t ip);

API int __ulockdep_active(void)
{
	return atomic_load(&ul_init_state) == 2 && atomic_load(&ul_rt.enabled);
}

static const char *const what_names[] = {
	"ulockdep_assert_held()", "ulockdep_assert_not_held()", "ulockdep_assert_held_read()",
	"ulockdep_assert_held_write()", "ulockdep_assert_none_held()",
};

API void __ulockdep_assert(const void *lock, int what, const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t || what < 0 || what > 4)
		goto out;
	struct ul_held *h = lock ? ul_held_find(t, lock) : NULL;
	bool ok;
	switch (what) {
	case 0: ok = h != NULL; break;
	case 1: ok = h == NULL; break;
	case 2: ok = h && h->mode != UL_WRITE; break;
	case 3: ok = h && h->mode == UL_WRITE; break;
	default: ok = atomic_load(&t->depth) == 0; break;
	}
	if (!ok)
		ul_found(&(struct ul_finding){ .report_kind = UL_R_ASSERT, .t = t, .lock = lock,
					       .why = what_names[what], .ip = (uintptr_t)caller });
out:
	if (t)
		ul_leave(t);
}

API void __ulockdep_set_class(const void *lock, const void *key, const char *name, unsigned subclass)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	ul_lock_set_class(lock, (uintptr_t)key, name, (uint8_t)(subclass < UL_MAX_SUBCLASS ? subclass : 0));
	ul_leave(t);
}

API void __ulockdep_set_subclass(const void *lock, unsigned subclass)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	ul_lock_set_subclass(lock, (uint8_t)(subclass < UL_MAX_SUBCLASS ? subclass : 0));
	ul_leave(t);
}

API void __ulockdep_set_novalidate(const void *lock)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	ul_lock_set_novalidate(lock);
	ul_leave(t);
}

API int __ulockdep_mutex_lock_nested(pthread_mutex_t *m, unsigned subclass, const void *caller)
{
	return ul_mutex_lock_sub(m, subclass, (uintptr_t)caller);
}

API int __ulockdep_rwlock_lock_nested(pthread_rwlock_t *rw, int write, unsigned subclass, const void *caller)
{
	return ul_rwlock_lock_sub(rw, write != 0, subclass, (uintptr_t)caller);
}

API void __ulockdep_off(int off)
{
	struct ul_thread *t = ul_thread_get();
	if (!t)
		return;
	if (off)
		t->off++;
	else if (t->off > 0)
		t->off--;
}

API void __ulockdep_might_lock(const void *lock, int read, const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	struct ul_acquire a = { .lock = lock, .ip = (uintptr_t)caller, .kind = UL_KIND_MUTEX,
				.mode = read ? UL_RREAD : UL_WRITE, .subclass = 0xff };
	ul_validate_acquire(t, &a); /* ordered as if taken; never held */
	ul_leave(t);
}

/* A pseudo-lock gets its class from its key, or from its name's address. */
static void map_class(struct ulockdep_map *m)
{
	struct ul_lock l;
	if (ul_lock_get(m, &l))
		return;
	ul_lock_set_class(m, (uintptr_t)(m->key ? m->key : (const void *)m->name), m->name, 0);
}

API void __ulockdep_map_acquire(struct ulockdep_map *m, int read, int trylock, unsigned subclass,
				const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	map_class(m);
	struct ul_acquire a = { .lock = m, .ip = (uintptr_t)caller, .kind = UL_KIND_MAP,
				.mode = read == 2 ? UL_RREAD : read ? UL_READ : UL_WRITE,
				.flags = trylock ? UL_ACQ_TRY : 0,
				.subclass = (uint8_t)(subclass < UL_MAX_SUBCLASS ? subclass : 0) };
	ul_validate_acquire(t, &a);
	ul_acquired(t, &a);
	ul_leave(t);
}

API void __ulockdep_map_release(struct ulockdep_map *m, const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	ul_release(t, m, (uintptr_t)caller, true);
	ul_leave(t);
}

/* Simulated interrupt context, the same as running a signal handler. */
API void __ulockdep_context(int enter, int ctx)
{
	struct ul_thread *t = ul_thread_get();
	if (!t || ctx < 1 || ctx > 64)
		return;
	if (enter) {
		if (t->api_depth >= UL_ARRAY_SIZE(t->api_ctx))
			return;
		t->api_ctx[t->api_depth++] = (uint8_t)ctx;
		t->ctx++;
		t->cur_sig = ctx;
		ul_thread_ctx_changed(t);
		t->sig_blocked |= (uint64_t)1 << (ctx - 1);
		ul_thread_mask_changed(t);
		atomic_fetch_or(&ul_handled_sigs, (uint64_t)1 << (ctx - 1));
	} else if (t->api_depth > 0 && t->api_ctx[t->api_depth - 1] == ctx) {
		/* back in the interrupted context: the outer one, if any */
		t->api_depth--;
		t->ctx--;
		t->cur_sig = t->api_depth ? t->api_ctx[t->api_depth - 1] : 0;
		ul_thread_ctx_changed(t);
		t->sig_blocked &= ~((uint64_t)1 << (ctx - 1));
		ul_thread_mask_changed(t);
	}
}

API int __ulockdep_is_held(const void *lock, int read)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return 1; /* not validating: unknown */
	struct ul_held *h = ul_held_find(t, lock);
	int r = h && (read < 0 || (read == 0) == (h->mode == UL_WRITE));
	ul_leave(t);
	return r;
}

API void __ulockdep_show_held_locks(void)
{
	ul_report_show_all_held(-1);
}

/* Custom primitives: the object's address is the event. Its shadow sits
 * one byte in, so an object that starts with a lock (a completion built on
 * a mutex) keeps both identities. */
static uint32_t api_event_class(const void *ev, const void *caller)
{
	if (!ul_rt.opt.wait_check)
		return 0;
	return ul_event_class((const char *)ev + 1, UL_KIND_EVENT, (uintptr_t)caller);
}

API void __ulockdep_wait(const void *ev, int begin, const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	int e = errno;
	if (begin) {
		uint32_t ec = api_event_class(ev, caller);
		ul_event_wait(t, ec, (uintptr_t)caller, 0);
		ul_event_block(t, ev, UL_KIND_EVENT, (uintptr_t)caller);
	} else {
		ul_event_unblock(t);
	}
	ul_leave(t);
	errno = e;
}

API void __ulockdep_event(const void *ev, const void *caller)
{
	struct ul_thread *t = ul_enter();
	if (!t)
		return;
	int e = errno;
	uint32_t ec = api_event_class(ev, caller);
	ul_event_produce(t, ec, (uintptr_t)caller, 0, true);
	ul_leave(t);
	errno = e;
}
