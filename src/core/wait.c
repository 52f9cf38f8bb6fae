#define _GNU_SOURCE
/* Real deadlocks: a thread that waits on a lock for too long walks the
 * wait-for graph (waiter -> holders of the lock it waits for; joiner ->
 * joined thread). A semaphore or condvar waiter is never followed: any
 * live thread may still produce its event, so a guess at "the" producer
 * called correct worker pools deadlocked.
 * No helper thread: the waiting threads check themselves. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core.h"
#include "lockstat.h"

#define MAX_DEPTH 32

void ul_wait_begin(struct ul_thread *t, const void *lock, uint8_t mode)
{
	t->wait_mode = mode;
	t->wait_stack = 0;
	t->wait_checks = 0;
	atomic_store_explicit(&t->wait_seq, atomic_load_explicit(&t->wait_seq, memory_order_relaxed) + 1,
			      memory_order_relaxed);
	atomic_store_explicit(&t->wait_lock, lock, memory_order_release);
	if (t->lstat)
		ul_lstat_wait_begin(t, lock);
}

long ul_wait_next_ms(struct ul_thread *t)
{
	int n = t->wait_checks < 5 ? t->wait_checks++ : 5;
	return 1000L << n;
}

void ul_wait_end(struct ul_thread *t)
{
	atomic_store_explicit(&t->wait_lock, NULL, memory_order_relaxed);
}

static bool holds(struct ul_thread *t, const void *lock)
{
	uint32_t d = atomic_load(&t->depth);
	uint32_t cap = atomic_load_explicit((_Atomic uint32_t *)&t->cap, memory_order_acquire);
	struct ul_held *h = atomic_load_explicit((_Atomic(struct ul_held *) *)&t->held, memory_order_acquire);
	for (uint32_t i = 0; i < d && i < cap; i++)
		if (h[i].lock == lock)
			return true;
	return false;
}

/* Whom a thread blocked on an event surely waits for: the joined thread.
 * Threads lock held. */
static struct ul_thread *event_waits_for(struct ul_thread *cur, const void *ev)
{
	if (atomic_load(&cur->wait_event_kind) != UL_KIND_THREAD)
		return NULL;
	for (struct ul_thread *h = ul_threads_first(); h; h = h->next)
		if (h != cur && atomic_load(&h->handle) == (uintptr_t)ev)
			return h;
	return NULL;
}

/* Depth-first search for a path of waits from cur back to start. */
static int dfs(struct ul_thread *start, struct ul_thread *cur, struct ul_thread **path, int depth)
{
	path[depth] = cur;
	const void *lock = atomic_load(&cur->wait_lock);
	if (depth + 1 >= MAX_DEPTH)
		return 0;
	if (!lock) {
		const void *ev = atomic_load(&cur->wait_event);
		struct ul_thread *h = ev ? event_waits_for(cur, ev) : NULL;
		if (!h)
			return 0;
		if (h == start)
			return depth + 1;
		for (int i = 0; i <= depth; i++)
			if (path[i] == h)
				return 0;
		return dfs(start, h, path, depth + 1);
	}
	for (struct ul_thread *h = ul_threads_first(); h; h = h->next) {
		if (!holds(h, lock))
			continue;
		if (h == start)
			return depth + 1;
		bool seen = false;
		for (int i = 0; i <= depth; i++)
			seen |= path[i] == h;
		if (seen)
			continue;
		int n = dfs(start, h, path, depth + 1);
		if (n)
			return n;
	}
	return 0;
}

static int find_cycle(struct ul_thread *t, struct ul_thread **path, uint32_t *seqs)
{
	ul_threads_lock();
	int n = dfs(t, t, path, 0);
	for (int i = 0; i < n; i++)
		seqs[i] = atomic_load(&path[i]->wait_seq);
	ul_threads_unlock();
	return n;
}

void ul_wait_check(struct ul_thread *t)
{
	if (!ul_rt.policy.deadlock_detect) /* waits tracked for --lock-stat only */
		return;
	if (!t->wait_stack)
		t->wait_stack = ul_stack_capture_from(0);
	struct ul_thread *path[MAX_DEPTH], *again[MAX_DEPTH];
	uint32_t seqs[MAX_DEPTH], seqs2[MAX_DEPTH];
	int n = find_cycle(t, path, seqs);
	if (!n)
		return;
	/* Confirm: the same waits, unchanged, a moment later. A thread that
	 * began waiting later takes its wait's stack at its own first check:
	 * give it up to 3 s, so the report shows where every thread waits. */
	for (int tries = 0; tries < 60; tries++) {
		ul_sleep_ms(50);
		int n2 = find_cycle(t, again, seqs2);
		if (n2 != n)
			return;
		bool stacks = true;
		for (int i = 0; i < n; i++) {
			if (again[i] != path[i] || seqs2[i] != seqs[i])
				return;
			stacks &= path[i]->wait_stack != 0;
		}
		if (stacks)
			break;
	}
	struct ul_wait_info w[MAX_DEPTH];
	for (int i = 0; i < n; i++) {
		struct ul_thread *x = path[i];
		const void *lock = atomic_load(&x->wait_lock);
		struct ul_lock l;
		w[i] = (struct ul_wait_info){ x, lock, lock && ul_lock_get(lock, &l) ? l.class_id : 0,
					      x->wait_mode, x->wait_stack, NULL, 0, path[(i + 1) % n], 0 };
		if (!lock) {
			w[i].event = atomic_load(&x->wait_event);
			w[i].event_kind = atomic_load(&x->wait_event_kind);
			w[i].ip = x->wait_ip;
			if (w[i].event_kind == UL_KIND_THREAD)
				w[i].class_id = path[(i + 1) % n]->event_class;
			else if (ul_lock_get(w[i].event, &l))
				w[i].class_id = l.class_id;
		}
	}
	/* The sink reports it once; the runtime's deadlock policy (abort,
	 * exit) runs on the thread whose finding became the report. */
	ul_found(&(struct ul_finding){ .report_kind = UL_R_DEADLOCK, .t = t, .waits = w, .nwaits = n });
}

