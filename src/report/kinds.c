#define _GNU_SOURCE
/* One function per report kind, each in the kernel's layout. */
#include <stdio.h>
#include <string.h>

#include "history.h"
#include "report_buf.h"
#include "symbols.h"

static const char *lockop(uint8_t mode)
{
	return mode == UL_WRITE ? "lock" : "rlock";
}

static void lock_line(struct ul_rb *r, const void *addr, uint32_t class_id, uintptr_t ip)
{
	char at[512];
	ul_sym_site_name(ip, at, sizeof at);
	ul_rb_printf(r, "%016lx ", (unsigned long)(uintptr_t)addr);
	int n = r->nlocks;
	ul_rb_lock_name(r, class_id);
	if (r->nlocks > n)
		ul_rb_lock_instance(r, (uintptr_t)addr, 0);
	ul_rb_printf(r, ", at: %s\n", at);
}

static const char *cname(uint32_t class_id, char *buf, size_t len)
{
	ul_class_format(ul_class_get(class_id), buf, len);
	return buf;
}

/* A class of many locks made at one site may merge roles (a generic
 * container's locks): say so, and how to split it. */
#define GENERIC_MIN_LOCKS 4
static void generic_site_hint(struct ul_rb *r, const struct ul_step *steps, int n)
{
	for (int i = 0; i < n; i++) {
		struct ul_class *c = ul_class_get(ul_class_get(steps[i].class_id) ?
						  ul_class_get(steps[i].class_id)->base : 0);
		bool seen = false;
		for (int j = 0; j < i; j++)
			seen |= ul_class_get(steps[j].class_id) &&
				ul_class_get(steps[j].class_id)->base == (c ? c->id : 0);
		if (!c || seen || (c->origin != UL_ORIGIN_INIT && c->origin != UL_ORIGIN_FIRST_USE) ||
		    atomic_load(&c->nlocks) < GENERIC_MIN_LOCKS)
			continue;
		ul_rb_printf(r, "Class (%s) has %u locks made at one generic site. If they play different\n"
				"roles, this cycle may run between roles the class merges. Give each role its class:\n"
				"  ulockdep_set_class(lock, &role_key, \"role\") where the lock is made,\n"
				"  --init-wrappers FUNC if FUNC only wraps lock init (its callers become the classes),\n"
				"  --class-depth N to key the class by N frames from the site.\n\n",
			     ul_class_name(c), atomic_load(&c->nlocks));
	}
}

static uint64_t hash_ids(const uint32_t *ids, int n)
{
	/* order-independent: the same cycle found from any edge is one problem */
	uint64_t h = 0;
	for (int i = 0; i < n; i++)
		h += ul_hash64(ids[i] + 1);
	return h;
}

static void step_name(const struct ul_step *s, char *buf, size_t len)
{
	char cn[400];
	cname(s->class_id, cn, sizeof cn);
	if (s->inst) {
		/* an instance: "accounts+0x30" for globals, else the address */
		char dn[256];
		ul_sym_data_name(s->addr, dn, sizeof dn);
		if (dn[0] != '0')
			snprintf(buf, len, "%s", dn);
		else
			snprintf(buf, len, "%s @%#lx", cn, (unsigned long)s->addr);
	} else
		snprintf(buf, len, "%s", cn);
}

/* "X is trying to acquire lock: ... but task is already holding lock: ..."
 * The held lock's name is not added to the report's lock list again. */
static void trying_while_holding(struct ul_rb *r, const struct ul_acquire *a, const struct ul_held *h)
{
	ul_rb_printf(r, "%s is trying to acquire lock:\n", r->thread);
	lock_line(r, a->lock, a->class_id, a->ip);
	ul_rb_printf(r, "\nbut task is already holding lock:\n");
	int save = r->nlocks;
	lock_line(r, h->lock, h->class_id, h->ip);
	r->nlocks = save;
}

static void ul_report_circular(struct ul_thread *t, const struct ul_acquire *a, const struct ul_held *prev,
			const struct ul_step *steps, int n, bool instances)
{
	uint64_t id = 0;
	for (int i = 0; i < n; i++) {
		uint32_t x = instances ? steps[i].inst : steps[i].class_id;
		id += hash_ids(&x, 1);
	}
	struct ul_rb *r = ul_rb_begin(UL_R_CIRCULAR, "WARNING: possible circular locking dependency detected",
				      id ^ (instances ? 0x5a5a : 0), t);
	if (!r)
		return;
	trying_while_holding(r, a, prev);
	ul_rb_printf(r, "\nwhich lock already depends on the new lock.\n\n");
	ul_rb_printf(r, "\nthe existing dependency chain (in reverse order) is:\n");
	/* the JSON "locks" are the cycle in order: new, ..., held */
	r->nlocks = 0;
	for (int i = n - 1; i >= 0; i--) {
		char nm[512];
		step_name(&steps[i], nm, sizeof nm);
		char usage[5];
		ul_usage_string(steps[i].class_id, usage);
		ul_rb_printf(r, "\n-> #%d (%s)%s:\n", i, nm, usage);
		if (!ul_history_edge_text(r, steps[i].edge, 6))
			ul_rb_stack(r, i ? "dependency" : "new", steps[i].stack, 6);
	}
	for (int i = 0; i < n; i++)
		ul_rb_add_lock(r, ul_class_label(ul_class_get(steps[i].class_id)), steps[i].class_id, steps[i].addr,
			       steps[i].inst);
	/* class nodes carry no instance: the two ends are the locks at hand */
	if (!instances && n > 0 && n <= r->nlocks) {
		struct ul_lock l;
		r->lock_addr[0] = (uintptr_t)a->lock;
		r->lock_inst[0] = a->inst;
		r->lock_addr[n - 1] = (uintptr_t)prev->lock;
		r->lock_inst[n - 1] = ul_lock_get(prev->lock, &l) ? l.inst : prev->inst;
	}
	ul_rb_printf(r, "\nother info that might help us debug this:\n\n");
	char src[512], tgt[512], par[512];
	step_name(&steps[0], src, sizeof src);
	step_name(&steps[n - 1], tgt, sizeof tgt);
	step_name(&steps[n > 1 ? n - 2 : 0], par, sizeof par);
	if (n > 2)
		ul_rb_printf(r, "Chain exists of:\n  %s --> %s --> %s\n\n", src, par, tgt);
	if (instances) {
		ul_rb_printf(r, "Instances of one class in the cycle:\n");
		for (int i = 0; i < n; i++) {
			char dn[256];
			ul_sym_data_name(steps[i].addr, dn, sizeof dn);
			ul_rb_printf(r, "  %s%016lx (%s)\n", i ? "--> " : "    ", (unsigned long)steps[i].addr, dn);
		}
		ul_rb_printf(r, "\n");
	}
	generic_site_hint(r, steps, n);
	bool par_read = (steps[n - 1].types & (UL_DEP_SN | UL_DEP_SR)) && !(steps[n - 1].types & (UL_DEP_EN | UL_DEP_ER));
	ul_rb_printf(r, " Possible unsafe locking scenario:\n\n");
	ul_rb_printf(r, "       CPU0                    CPU1\n");
	ul_rb_printf(r, "       ----                    ----\n");
	ul_rb_printf(r, "  %s(%s);\n", lockop(prev->mode), tgt);
	ul_rb_printf(r, "                               %s(%s);\n", par_read ? "rlock" : "lock", par);
	ul_rb_printf(r, "                               %s(%s);\n", lockop(prev->mode), tgt);
	ul_rb_printf(r, "  %s(%s);\n", lockop(a->mode), src);
	ul_rb_printf(r, "\n *** DEADLOCK ***\n\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, a->ip);
	ul_rb_finish(r);
}

static void ul_report_recursive(struct ul_thread *t, const struct ul_acquire *a, const struct ul_held *h)
{
	struct ul_rb *r = ul_rb_begin(UL_R_RECURSIVE, "WARNING: possible recursive locking detected",
				      a->class_id, t);
	if (!r)
		return;
	trying_while_holding(r, a, h);
	char n[512];
	cname(a->class_id, n, sizeof n);
	ul_rb_printf(r, "\nother info that might help us debug this:\n");
	ul_rb_printf(r, " Possible unsafe locking scenario:\n\n       CPU0\n       ----\n");
	ul_rb_printf(r, "  %s(%s);\n  %s(%s);\n", lockop(h->mode), n, lockop(a->mode), n);
	ul_rb_printf(r, "\n *** DEADLOCK ***\n\n May be due to missing lock nesting notation\n\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, a->ip);
	ul_rb_finish(r);
}

static void ul_report_bad_unlock(struct ul_thread *t, const void *lock, uintptr_t ip, const char *why)
{
	struct ul_lock l;
	uint32_t cls = ul_lock_get(lock, &l) ? l.class_id : 0;
	struct ul_rb *r = ul_rb_begin(UL_R_BAD_UNLOCK, "WARNING: bad unlock balance detected!",
				      (uint64_t)cls << 32 ^ ip, t);
	if (!r)
		return;
	char at[512];
	ul_sym_frame(ip, at, sizeof at);
	ul_rb_printf(r, "%s is trying to release lock ", r->thread);
	ul_rb_lock_name(r, cls);
	ul_rb_printf(r, " at:\n%s\n%s\n", at, why);
	ul_rb_printf(r, "\nother info that might help us debug this:\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, ip);
	ul_rb_finish(r);
}

static void ul_report_held_freed(struct ul_thread *t, const struct ul_held *h, uintptr_t start,
			  uintptr_t end, uintptr_t ip, const char *what)
{
	struct ul_rb *r = ul_rb_begin(UL_R_HELD_FREED, "WARNING: held lock freed!",
				      (uint64_t)h->class_id << 32 ^ ip, t);
	if (!r)
		return;
	if (!strcmp(what, "freeing memory"))
		ul_rb_printf(r, "%s is freeing memory %016lx-%016lx, with a lock still held there!\n",
			     r->thread, (unsigned long)start, (unsigned long)end - 1);
	else
		ul_rb_printf(r, "%s is %s a lock it still holds!\n", r->thread, what);
	lock_line(r, h->lock, h->class_id, h->ip);
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, ip);
	ul_rb_finish(r);
}

static void ul_report_held_at_exit(struct ul_thread *t, uintptr_t ip)
{
	uint32_t ids[40];
	uint32_t d = atomic_load(&t->depth);
	int k = 0;
	for (uint32_t i = 0; i < d && k < 40; i++)
		ids[k++] = t->held[i].class_id;
	char name[64], hdr[128];
	ul_rb_thread_name(t, name, sizeof name);
	snprintf(hdr, sizeof hdr, "WARNING: %s still has locks held!", name);
	static char hdr_static[128];
	struct ul_rb *r = ul_rb_begin(UL_R_HELD_AT_EXIT, hdr, hash_ids(ids, k), t);
	if (!r)
		return;
	memcpy(hdr_static, hdr, sizeof hdr);
	r->header = hdr_static;
	for (uint32_t i = 0; i < d; i++)
		ul_rb_add_lock(r, ul_class_label(ul_class_get(t->held[i].class_id)), t->held[i].class_id,
			       (uintptr_t)t->held[i].lock, t->held[i].inst);
	ul_rb_held_locks(r, t);
	if (ip)
		ul_rb_backtrace(r, ip);
	else
		ul_rb_printf(r, "\n(the thread %s)\n", t->tid == ul_getpid() ? "called exit()" : "returned from its start routine");
	ul_rb_finish(r);
}

static void ul_report_assert(struct ul_thread *t, const void *lock, const char *what, uintptr_t ip)
{
	struct ul_lock l;
	uint32_t cls = ul_lock_get(lock, &l) ? l.class_id : 0;
	struct ul_rb *r = ul_rb_begin(UL_R_ASSERT, "WARNING: lock assertion failed",
				      (uint64_t)cls << 32 ^ ip ^ ul_hash64((uintptr_t)what), t);
	if (!r)
		return;
	char at[512];
	ul_sym_frame(ip, at, sizeof at);
	ul_rb_printf(r, "%s failed %s at:\n%s\n", r->thread, what, at);
	if (lock) {
		ul_rb_printf(r, "lock: %016lx ", (unsigned long)(uintptr_t)lock);
		if (cls) {
			ul_rb_lock_name(r, cls);
		} else {
			ul_sym_data_name((uintptr_t)lock, r->extra_name, sizeof r->extra_name);
			ul_rb_printf(r, "(%s, never used as a lock)", r->extra_name);
			ul_rb_add_lock(r, r->extra_name, 0, (uintptr_t)lock, 0);
		}
		ul_rb_printf(r, "\n");
	}
	ul_rb_printf(r, "\nother info that might help us debug this:\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, ip);
	ul_rb_finish(r);
}

/* "SIGUSR1"; real-time signals and simulated contexts by number. */
static const char *signame(int sig)
{
	static __thread char buf[32] UL_TLS;
	const char *n = sigabbrev_np(sig);
	if (n)
		snprintf(buf, sizeof buf, "SIG%s", n);
	else
		snprintf(buf, sizeof buf, "signal %d", sig);
	return buf;
}

static const char *const usage_names[UL_USAGE_N] = {
	"IN-SIGNAL-W", "IN-SIGNAL-R", "SIGNAL-ON-W", "SIGNAL-ON-R",
};

static void ul_report_inconsistent(struct ul_thread *t, const struct ul_acquire *a, int sig, int old_bit,
			    int new_bit)
{
	struct ul_rb *r = ul_rb_begin(UL_R_INCONSISTENT, "WARNING: inconsistent lock state",
				      (uint64_t)a->class_id << 8 ^ (uint64_t)sig, t);
	if (!r)
		return;
	ul_rb_printf(r, "inconsistent {%s} -> {%s} usage.\n", usage_names[old_bit], usage_names[new_bit]);
	ul_rb_printf(r, "%s [%s, %s handler] takes:\n", r->thread, signame(sig),
		     t->ctx ? "in" : "not in");
	lock_line(r, a->lock, a->class_id, a->ip);
	struct ul_class *c = ul_class_get(a->class_id);
	ul_rb_printf(r, "{%s} state was registered at:\n", usage_names[old_bit]);
	ul_rb_stack(r, usage_names[old_bit], ul_usage_stack(c, old_bit, sig), 2);
	char n[512];
	cname(a->class_id, n, sizeof n);
	ul_rb_printf(r, "\nother info that might help us debug this:\n");
	ul_rb_printf(r, " Possible unsafe locking scenario:\n\n       CPU0\n       ----\n");
	ul_rb_printf(r, "  lock(%s);\n  <Interrupt>\n    lock(%s);\n", n, n);
	ul_rb_printf(r, "\n *** DEADLOCK ***\n\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, a->ip);
	ul_rb_finish(r);
}

static void ul_report_context_order(struct ul_thread *t, const struct ul_acquire *a, int sig,
			     uint32_t safe_class, uint32_t unsafe_class, const uint32_t *path, int n,
			     bool inversion)
{
	(void)path;
	(void)n;
	uint32_t ids[2] = { safe_class, unsafe_class };
	const char *hdr = inversion ? "WARNING: possible irq lock inversion dependency detected"
				    : "WARNING: SIGNAL-safe -> SIGNAL-unsafe lock order detected";
	struct ul_rb *r = ul_rb_begin(UL_R_CONTEXT_ORDER, hdr, hash_ids(ids, 2) ^ (uint64_t)sig << 40, t);
	if (!r)
		return;
	char sn[512], un[512];
	cname(safe_class, sn, sizeof sn);
	cname(unsafe_class, un, sizeof un);
	struct ul_class *sc = ul_class_get(safe_class), *uc = ul_class_get(unsafe_class);
	if (inversion) {
		ul_rb_printf(r, "%s just changed the state of lock:\n", r->thread);
		lock_line(r, a->lock, a->class_id, a->ip);
		if (a->class_id == safe_class)
			ul_rb_printf(r, "but this lock took another, SIGNAL-unsafe lock in the past:\n");
		else
			ul_rb_printf(r, "but this lock was taken by another, SIGNAL-safe lock in the past:\n");
	} else {
		ul_rb_printf(r, "%s is trying to acquire:\n", r->thread);
		lock_line(r, a->lock, a->class_id, a->ip);
		ul_rb_printf(r, "\nwhich would create a new lock dependency.\n");
		ul_rb_printf(r, "\nbut this new dependency connects a SIGNAL-safe lock:\n");
	}
	ul_rb_printf(r, " ");
	int save = r->nlocks;
	r->nlocks = 0;
	ul_rb_lock_name(r, safe_class);
	ul_rb_printf(r, "\n\n... which became SIGNAL-safe (taken in a %s handler) at:\n", signame(sig));
	uint32_t st = ul_usage_stack(sc, UL_USAGE_USED_W, sig);
	ul_rb_stack(r, "safe", st ? st : ul_usage_stack(sc, UL_USAGE_USED_R, sig), 2);
	ul_rb_printf(r, "\nto a SIGNAL-unsafe lock:\n ");
	ul_rb_lock_name(r, unsafe_class);
	(void)save;
	ul_rb_printf(r, "\n\n... which became SIGNAL-unsafe (taken with %s deliverable) at:\n", signame(sig));
	st = ul_usage_stack(uc, UL_USAGE_ENABLED_W, sig);
	ul_rb_stack(r, "unsafe", st ? st : ul_usage_stack(uc, UL_USAGE_ENABLED_R, sig), 2);
	ul_rb_printf(r, "\nother info that might help us debug this:\n\n");
	ul_rb_printf(r, " Possible interrupt unsafe locking scenario:\n\n");
	ul_rb_printf(r, "       CPU0                    CPU1\n       ----                    ----\n");
	ul_rb_printf(r, "  lock(%s);\n", un);
	ul_rb_printf(r, "                               block(%s);\n", signame(sig));
	ul_rb_printf(r, "                               lock(%s);\n", sn);
	ul_rb_printf(r, "                               lock(%s);\n", un);
	ul_rb_printf(r, "  <Interrupt>\n    lock(%s);\n", sn);
	ul_rb_printf(r, "\n *** DEADLOCK ***\n\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, a->ip);
	ul_rb_finish(r);
}

static bool ul_report_deadlock(const struct ul_wait_info *w, int n)
{
	uint32_t ids[40];
	for (int i = 0; i < n && i < 40; i++)
		ids[i] = (uint32_t)w[i].t->tid;
	struct ul_rb *r = ul_rb_begin(UL_R_DEADLOCK, "WARNING: deadlock detected", hash_ids(ids, n < 40 ? n : 40),
				      w[0].t);
	if (!r)
		return false;
	ul_rb_printf(r, "%d thread%s blocked on each other for good:\n\n", n, n == 1 ? " is" : "s are");
	for (int i = 0; i < n; i++) {
		char name[64];
		ul_rb_thread_name(w[i].t, name, sizeof name);
		char hn[64];
		ul_rb_thread_name(w[(i + 1) % n].t, hn, sizeof hn);
		if (w[i].event && w[i].event_kind == UL_KIND_THREAD) {
			ul_rb_printf(r, "%s is waiting to join %s", name, hn);
			if (w[i].class_id) {
				ul_rb_printf(r, " ");
				ul_rb_lock_name(r, w[i].class_id);
			}
			ul_rb_printf(r, "\nwaiting since:\n");
		} else if (w[i].event) {
			bool sem = w[i].event_kind == UL_KIND_SEM, cond = w[i].event_kind == UL_KIND_COND;
			ul_rb_printf(r, "%s is waiting on %s:\n%016lx ", name, sem ? "semaphore" : cond ? "condvar" : "event",
				     (unsigned long)(uintptr_t)w[i].event);
			if (w[i].class_id)
				ul_rb_lock_name(r, w[i].class_id);
			ul_rb_printf(r, ", last %s by %s\nwaiting since:\n", sem ? "posted" : cond ? "signalled" : "produced",
				     hn);
		} else {
			ul_rb_printf(r, "%s is waiting to %s:\n%016lx ", name,
				     w[i].mode == UL_WRITE ? "acquire" : "read-acquire", (unsigned long)(uintptr_t)w[i].lock);
			ul_rb_lock_name(r, w[i].class_id);
			ul_rb_printf(r, ", held by %s\nwaiting since:\n", hn);
		}
		if (!w[i].stack && w[i].ip) { /* a waiter that never checked: its call site */
			char at[512];
			ul_sym_frame(w[i].ip, at, sizeof at);
			ul_rb_printf(r, "      %s\n", at);
		} else {
			ul_rb_stack(r, name, w[i].stack, 6);
		}
		ul_rb_held_locks(r, w[i].t);
		ul_rb_printf(r, "\n");
	}
	ul_rb_printf(r, " *** DEADLOCK ***\n\n");
	ul_rb_finish(r);
	return true;
}

const char *ul_event_verb(uint8_t kind, bool produce)
{
	switch (kind) {
	case UL_KIND_COND:
		return produce ? "signal" : "wait";
	case UL_KIND_SEM:
		return produce ? "sem_post" : "sem_wait";
	case UL_KIND_BARRIER:
		return produce ? "arrive" : "barrier_wait";
	case UL_KIND_THREAD:
		return produce ? "exit" : "join";
	case UL_KIND_ONCE:
		return produce ? "init_done" : "call_once";
	default:
		return produce ? "event" : "wait";
	}
}

static bool is_event(uint32_t class_id)
{
	struct ul_class *c = ul_class_get(class_id);
	return c && ul_kind_is_event(c->kind);
}

static uint8_t kind_of(uint32_t class_id)
{
	struct ul_class *c = ul_class_get(class_id);
	return c ? c->kind : 0;
}

/* The edge into step i, in words: a wait, a production, or a lock order. */
static void edge_words(const struct ul_step *from, const struct ul_step *to, char *buf, size_t len)
{
	char fn[512], tn[512];
	step_name(from, fn, sizeof fn);
	step_name(to, tn, sizeof tn);
	if (is_event(to->class_id)) {
		snprintf(buf, len, "%s(%s) with %s held", ul_event_verb(kind_of(to->class_id), false), tn, fn);
	} else if (is_event(from->class_id)) {
		char at[512] = "";
		if (to->ip) {
			char site[500];
			ul_sym_site_name(to->ip, site, sizeof site);
			snprintf(at, sizeof at, " at %s", site);
		}
		snprintf(buf, len, "%s(%s) after taking %s%s", ul_event_verb(kind_of(from->class_id), true), fn, tn, at);
	} else
		snprintf(buf, len, "%s taken with %s held", tn, fn);
}

/* ", at: site" of the thread's held lock of a class, if it holds one. */
static void held_site(struct ul_rb *r, struct ul_thread *t, uint32_t class_id)
{
	uint32_t d = atomic_load(&t->depth);
	for (uint32_t i = d; i-- > 0;)
		if (t->held[i].lock && t->held[i].class_id == class_id) {
			char at[512];
			ul_sym_site_name(t->held[i].ip, at, sizeof at);
			ul_rb_printf(r, ", at: %s", at);
			return;
		}
}

static void ul_report_wait(struct ul_thread *t, const struct ul_step *steps, int n, int by, uintptr_t ip)
{
	uint32_t ids[40];
	int k = 0;
	for (int i = 0; i < n && k < 40; i++)
		ids[k++] = steps[i].class_id;
	struct ul_rb *r = ul_rb_begin(UL_R_WAIT, "WARNING: possible deadlock through a wait detected",
				      hash_ids(ids, k), t);
	if (!r)
		return;
	const struct ul_step *to = &steps[0], *from = &steps[n - 1];
	char at[512], tn[512], fn[512];
	ul_sym_site_name(ip, at, sizeof at);
	step_name(to, tn, sizeof tn);
	step_name(from, fn, sizeof fn);
	if (by == UL_WAIT_BY_WAIT) {
		ul_rb_printf(r, "%s is about to %s:\n", r->thread, ul_event_verb(kind_of(to->class_id), false));
		ul_rb_lock_name(r, to->class_id);
		ul_rb_printf(r, ", at: %s\n\nwhile holding lock:\n", at);
		ul_rb_lock_name(r, from->class_id);
		held_site(r, t, from->class_id);
		ul_rb_printf(r, "\n\nbut the event can only come after that lock is taken again.\n");
	} else if (by == UL_WAIT_BY_EVENT) {
		ul_rb_printf(r, "%s is about to %s:\n", r->thread, ul_event_verb(kind_of(from->class_id), true));
		ul_rb_lock_name(r, from->class_id);
		ul_rb_printf(r, ", at: %s\n\nafter taking lock:\n", at);
		ul_rb_lock_name(r, to->class_id);
		if (to->ip) {
			ul_sym_site_name(to->ip, at, sizeof at);
			ul_rb_printf(r, ", at: %s", at);
		}
		ul_rb_printf(r, "\n\nbut a thread waits for this event while that lock is held.\n");
	} else {
		ul_rb_printf(r, "%s is trying to acquire lock:\n", r->thread);
		ul_rb_lock_name(r, to->class_id);
		ul_rb_printf(r, ", at: %s\n\nbut task is already holding lock:\n", at);
		ul_rb_lock_name(r, from->class_id);
		held_site(r, t, from->class_id);
		ul_rb_printf(r, "\n\nwhich lock already depends on the new lock through a wait.\n");
	}
	ul_rb_printf(r, "\nthe existing dependency chain (in reverse order) is:\n");
	r->nlocks = 0;
	for (int i = n - 1; i >= 0; i--) {
		char nm[512], words[1200], usage[5];
		step_name(&steps[i], nm, sizeof nm);
		ul_usage_string(steps[i].class_id, usage);
		edge_words(&steps[(i + n - 1) % n], &steps[i], words, sizeof words);
		ul_rb_printf(r, "\n-> #%d (%s)%s:\n       [%s]\n", i, nm, is_event(steps[i].class_id) ? "" : usage,
			     words);
		const struct ul_stack *st = ul_stack_get(steps[i].stack);
		bool returned = kind_of(steps[(i + n - 1) % n].class_id) == UL_KIND_THREAD && st && st->n &&
				ul_ip_in_runtime(st->pc[0]);
		if (ul_history_edge_text(r, steps[i].edge, 6))
			continue;
		if (returned) /* produced by the runtime's thread start: no frame of the thread is left */
			ul_rb_printf(r, "      (the thread's start routine returned)\n");
		else
			ul_rb_stack(r, i ? (is_event(steps[i].class_id) ? "wait" : "dependency") : "new",
				    steps[i].stack, 6);
	}
	for (int i = 0; i < n && r->nlocks < UL_RB_LOCKS; i++) {
		r->lock_ids[r->nlocks] = steps[i].class_id;
		r->lock_addr[r->nlocks] = steps[i].addr;
		r->lock_inst[r->nlocks] = steps[i].inst;
		r->locks[r->nlocks++] = ul_class_label(ul_class_get(steps[i].class_id));
	}

	/* The scenario: one wait on the cycle, the lock held across it, and
	 * the lock its producer takes first. */
	int e = 0;
	for (int i = 0; i < n; i++)
		if (is_event(steps[i].class_id) && !is_event(steps[(i + n - 1) % n].class_id) &&
		    !is_event(steps[(i + 1) % n].class_id)) {
			e = i;
			break;
		}
	char en[512], ln[512], mn[512];
	step_name(&steps[e], en, sizeof en);
	step_name(&steps[(e + n - 1) % n], ln, sizeof ln);
	step_name(&steps[(e + 1) % n], mn, sizeof mn);
	uint8_t ek = kind_of(steps[e].class_id);
	ul_rb_printf(r, "\nother info that might help us debug this:\n\n");
	if (n > 2) { /* the producer's lock leads back to the waiter's */
		ul_rb_printf(r, "Chain exists of:\n  %s", mn);
		for (int i = (e + 2) % n; i != e; i = (i + 1) % n) {
			char sn[512];
			step_name(&steps[i], sn, sizeof sn);
			ul_rb_printf(r, " --> %s", sn);
		}
		ul_rb_printf(r, "\n\n");
	}
	ul_rb_printf(r, " Possible unsafe locking scenario:\n\n");
	ul_rb_printf(r, "       CPU0                    CPU1\n");
	ul_rb_printf(r, "       ----                    ----\n");
	ul_rb_printf(r, "  lock(%s);\n", ln);
	ul_rb_printf(r, "  %s(%s);\n", ul_event_verb(ek, false), en);
	if (strcmp(mn, ln))
		ul_rb_printf(r, "                               lock(%s);\n", mn);
	ul_rb_printf(r, "                               lock(%s);\n", ln);
	ul_rb_printf(r, "                               %s(%s);\n", ul_event_verb(ek, true), en);
	ul_rb_printf(r, "\n *** DEADLOCK ***\n\n");
	ul_rb_held_locks(r, t);
	ul_rb_backtrace(r, ip);
	ul_rb_finish(r);
}

bool ul_report_finding(const struct ul_finding *f)
{
	switch (f->report_kind) {
	case UL_R_CIRCULAR:
		ul_report_circular(f->t, f->acq, f->held, f->steps, f->nsteps, f->instances);
		return true;
	case UL_R_RECURSIVE:
		ul_report_recursive(f->t, f->acq, f->held);
		return true;
	case UL_R_BAD_UNLOCK:
		ul_report_bad_unlock(f->t, f->lock, f->ip, f->why);
		return true;
	case UL_R_HELD_FREED:
		ul_report_held_freed(f->t, f->held, f->lo, f->hi, f->ip, f->why);
		return true;
	case UL_R_HELD_AT_EXIT:
		ul_report_held_at_exit(f->t, f->ip);
		return true;
	case UL_R_INCONSISTENT:
		ul_report_inconsistent(f->t, f->acq, f->sig, f->old_bit, f->new_bit);
		return true;
	case UL_R_CONTEXT_ORDER:
		ul_report_context_order(f->t, f->acq, f->sig, f->safe_class, f->unsafe_class, NULL, 0,
					f->inversion);
		return true;
	case UL_R_DEADLOCK:
		return ul_report_deadlock(f->waits, f->nwaits);
	case UL_R_WAIT:
		ul_report_wait(f->t, f->steps, f->nsteps, f->wait_by, f->ip);
		return true;
	case UL_R_ASSERT:
		ul_report_assert(f->t, f->lock, f->why, f->ip);
		return true;
	default:
		return false;
	}
}

void ul_report_limit(enum ul_limit which)
{
	static const char *const what[UL_LIMIT_N] = {
		[UL_LIMIT_CLASSES] = "limit reached for lock classes (max_classes): locks of new classes are not checked",
		[UL_LIMIT_LOCKS] = "limit reached for lock objects (max_locks): new lock objects are not validated",
		[UL_LIMIT_HELD] = "limit reached for held locks per thread (4096): deeper locks are not tracked",
		[UL_LIMIT_NODES] = "limit reached for dependency graph nodes: new classes are not ordered",
		[UL_LIMIT_EDGES] = "limit reached for dependency edges: new lock orders are not recorded",
		[UL_LIMIT_INSTANCES] =
			"limit reached for lock instances in same-class nesting: new instances are not ordered",
		[UL_LIMIT_CHAINS] = "limit reached for lock chains (1048576): new lock sequences are validated every time",
		[UL_LIMIT_CLASSES_OOM] = "out of memory for lock classes: locks of new classes are not checked",
		[UL_LIMIT_NODES_OOM] = "out of memory for dependency graph nodes: new classes are not ordered",
		[UL_LIMIT_EDGES_OOM] = "out of memory for dependency edges: new lock orders are not recorded",
		[UL_LIMIT_STACKS_OOM] = "out of memory for the stack depot: new stacks are not kept",
		[UL_LIMIT_CYCLE_OOM] = "out of memory for a long cycle: it is reported in part",
		[UL_LIMIT_SHM_SEGS] = "over 64 SysV segments: the others' locks end at the next mapping there",
		[UL_LIMIT_PAGES_OOM] = "out of memory for lock page lists: new heap locks are not validated",
		[UL_LIMIT_LOCK_STAT] = "limit reached for lock statistics memory: some counts are lost",
	};
	if ((unsigned)which >= UL_LIMIT_N || !what[which])
		return;
	ul_report_notice(what[which]);
}
