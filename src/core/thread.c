/* Per-thread state: held-lock stacks and the registry of live threads. */
#define _GNU_SOURCE
#include <string.h>

#include "core.h"
#include "lockstat.h"

__thread struct ul_thread *ul_self UL_TLS;
__thread uint8_t ul_self_state UL_TLS;

UL_STATIC_MUTEX(threads_lock);
static struct ul_thread *threads_head;
static struct ul_thread *free_list;

void ul_threads_lock(void) { ul_mutex_lock(&threads_lock); }
void ul_threads_unlock(void) { ul_mutex_unlock(&threads_lock); }
struct ul_thread *ul_threads_first(void) { return threads_head; }

struct ul_thread *ul_thread_get(void)
{
	struct ul_thread *t = ul_self;
	if (likely(t != NULL))
		return t;
	if (ul_self_state)
		return NULL;
	ul_self_state = 1;
	ul_mutex_lock(&threads_lock);
	t = free_list;
	if (t)
		free_list = t->next;
	ul_mutex_unlock(&threads_lock);
	if (t) {
		/* a grown held stack stays with its struct: reused, not leaked */
		struct ul_held *held = t->held != t->inline_held ? t->held : NULL;
		uint32_t cap = t->cap;
		memset(t, 0, sizeof *t);
		if (held) {
			t->held = held;
			t->cap = cap;
		}
	} else {
		t = ul_alloc(sizeof *t);
		if (!t) {
			ul_self_state = 0;
			return NULL;
		}
	}
	t->tid = ul_gettid();
	t->lstat = ul_lstat_on;
	ul_thread_ctx_changed(t);
	if (!t->held) {
		t->held = t->inline_held;
		t->cap = UL_ARRAY_SIZE(t->inline_held);
	}
	ul_mutex_lock(&threads_lock);
	t->next = threads_head;
	if (threads_head)
		threads_head->prev = t;
	threads_head = t;
	t->registered = true;
	ul_mutex_unlock(&threads_lock);
	ul_self = t;
	ul_self_state = 0;
	if (ul_hooks.thread_started)
		ul_hooks.thread_started(t); /* its end returns the struct to the pool */
	return t;
}


static void unlink_locked(struct ul_thread *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		threads_head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	t->registered = false;
}

/* The thread is gone: its struct goes back to the pool. */
void ul_thread_exit(struct ul_thread *t)
{
	if (!t)
		return;
	ul_self_state = 1;
	ul_self = NULL;
	ul_mutex_lock(&threads_lock);
	if (t->lstat)
		ul_lstat_thread_exit(t);
	if (t->registered)
		unlink_locked(t);
	t->next = free_list;
	free_list = t;
	ul_mutex_unlock(&threads_lock);
	ul_self_state = 2;
}

/* In a fork child only the forking thread survives. */
void ul_threads_after_fork_child(struct ul_thread *self)
{
	ul_mutex_reset(&threads_lock);
	threads_head = NULL;
	free_list = NULL;
	if (self) {
		self->next = self->prev = NULL;
		self->tid = ul_gettid();
		threads_head = self;
		self->registered = true;
	}
}

struct ul_held *ul_held_find(struct ul_thread *t, const void *lock)
{
	for (uint32_t i = atomic_load_explicit(&t->depth, memory_order_relaxed); i-- > 0;)
		if (t->held[i].lock == lock)
			return &t->held[i];
	return NULL;
}

/* Make room for one more entry; grows the stack up to a hard cap. */
bool ul_held_reserve(struct ul_thread *t)
{
	uint32_t d = atomic_load_explicit(&t->depth, memory_order_relaxed);
	if (likely(d < t->cap))
		return true;
	if (t->cap >= 4096) {
		ul_notice_limit(UL_LIMIT_HELD);
		return false;
	}
	uint32_t ncap = t->cap * 4;
	struct ul_held *n = ul_alloc(ncap * sizeof *n);
	if (!n)
		return false;
	memcpy(n, t->held, d * sizeof *n);
	/* other threads (deadlock check) read cap, then held */
	atomic_store_explicit((_Atomic(struct ul_held *) *)&t->held, n, memory_order_release);
	atomic_store_explicit((_Atomic uint32_t *)&t->cap, ncap, memory_order_release);
	return true;
}
