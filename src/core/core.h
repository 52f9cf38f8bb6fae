/* Validator core: lock classes, held-lock stacks, chain cache, dependency
 * graph and usage states. Free of libc interposition: interceptors call the
 * event functions at the bottom of this file. */
#ifndef UL_CORE_H
#define UL_CORE_H
#include <string.h>

#include "../common/options.h"
#include "../os/os.h"
#include "finding.h"
#include "htab.h"

/* How a lock is taken. */
enum ul_mode { UL_WRITE = 0, UL_READ = 1 /* non-recursive reader */, UL_RREAD = 2 /* recursive reader */ };

enum ul_kind { UL_KIND_MUTEX, UL_KIND_RWLOCK, UL_KIND_SPIN, UL_KIND_MAP,
	/* events: waited for and produced, never held */
	UL_KIND_COND, UL_KIND_SEM, UL_KIND_BARRIER, UL_KIND_THREAD, UL_KIND_ONCE, UL_KIND_EVENT };
static inline bool ul_kind_is_event(uint8_t kind)
{
	return kind >= UL_KIND_COND;
}
enum ul_mutex_type { UL_MUTEX_NORMAL, UL_MUTEX_RECURSIVE, UL_MUTEX_ERRORCHECK };
/* Where a class came from. */
enum ul_origin { UL_ORIGIN_STATIC, UL_ORIGIN_INIT, UL_ORIGIN_FIRST_USE, UL_ORIGIN_KEY };

/* How a lock is asked for: struct ul_acquire.flags, copied to the held entry. */
enum ul_acq_flag {
	UL_ACQ_TRY = 1,     /* trylock: no incoming edge */
	UL_ACQ_NOCHECK = 2, /* record as held, validate nothing */
};
/* What validation learned about the chain ending at an entry. Its own
 * namespace, in the bits above the acquisition flags of the same byte. */
enum ul_held_flag {
	UL_HELD_REPEAT = 4, /* the chain repeats a class: never cached */
	UL_HELD_CONDWAIT = 8, /* taken again by a condition wait's return */
	UL_HELD_FORKED = 16,  /* in a fork child: held across the fork */
};

#define UL_MAX_SUBCLASS 8
#define UL_CTX_NONE 0xff /* a held slot being filled: matches no context */
#define UL_STACK_DEPTH 32

/* Usage bits, per class, as signal masks: bit s-1 set for signal s. */
enum { UL_USAGE_USED_W, UL_USAGE_USED_R, UL_USAGE_ENABLED_W, UL_USAGE_ENABLED_R, UL_USAGE_N };

struct ul_class {
	uint32_t id;
	uint32_t base;           /* class of subclass 0 */
	uint8_t subclass;
	uint8_t origin;
	uint8_t kind;
	bool novalidate;
	uintptr_t key;           /* static address, init/first-use site hash, or key object */
	uintptr_t site;          /* the role frame (return address) a made lock is named by */
	uintptr_t caller;        /* made: the role frame's caller (first seen), or 0 */
	bool split;              /* made: keyed by (site, caller); the site serves several */
	_Atomic uint32_t family; /* a lower class of the same role (a split site's first
				  * class, or joined: validate.c); nesting inside a family
				  * is ordered by instance, as within one class */
	_Atomic bool shared;     /* made: its site serves several callers (named with the caller) */
	_Atomic uintptr_t data;  /* a static-storage lock of this class, for its name */
	_Atomic uintptr_t data2; /* another one, or 1 if a lock of it is not static */
	const char *name;        /* explicit or computed name, NULL until needed */
	const char *label;       /* name with "/N" for a subclass */
	_Atomic uint32_t sub[UL_MAX_SUBCLASS];
	_Atomic uint64_t usage[UL_USAGE_N];
	/* stacks that set each usage, with the signals they set it for */
	struct { uint64_t sigs; uint32_t stack; } usage_hist[UL_USAGE_N][4];
	uint32_t node;           /* graph node */
	_Atomic uint32_t nlocks; /* lock objects seen in this class */
	_Atomic uint32_t data_checks; /* inits looked at for a static lock */
	_Atomic uint32_t cond_mutex; /* a condvar class: its waiters' mutex class */
};

/* One lock object's shadow, packed into a hash entry (32 bytes). */
struct ul_lock {
	uintptr_t addr;
	uint32_t class_id;
	uint32_t inst;   /* instance id: new for every init or reuse */
	uint8_t kind, mutex_type, origin;
	bool rw_writer_pref;
	bool dead;       /* destroyed or freed; next use is a new instance */
	bool novalidate;
	bool on_stack;   /* never initialised, on its first user's stack */
	bool foreign;    /* on_stack, last taken by a thread it is not on the stack of */
	uint8_t subclass_default;
	uintptr_t owner; /* on_stack: the function owning its stack frame; foreign: the tid */
};

/* The shadow entry in ul_rt.locks is three words. Word 0: class | inst<<32.
 * Word 1: kind, type<<8, origin<<16, the flag bits below, default
 * subclass<<32, graph node of the instance<<40 (same-class nesting, 0 if
 * none). Word 2: owner (on_stack: the function owning its frame; foreign: the tid). Only these helpers and
 * ul_lock_pack/unpack know the layout. */
enum {
	UL_SH_WPREF = 24, UL_SH_DEAD = 25, UL_SH_NOVALIDATE = 26, UL_SH_STACK = 27,
	UL_SH_FOREIGN = 28, /* on_stack, last taken by another thread: owner is its tid */
	UL_SH_ENDED = 29,   /* dead because its memory ended (not a re-init) */
	UL_SH_SUBCLASS = 32, UL_SH_NODE = 40,
};
#define UL_SH_BIT(b) ((uint64_t)1 << (b))
static inline uint32_t ul_sh_class(const uint64_t v[3]) { return (uint32_t)v[0]; }
static inline uint32_t ul_sh_inst(const uint64_t v[3]) { return (uint32_t)(v[0] >> 32); }
static inline bool ul_sh_dead(const uint64_t v[3]) { return v[1] & UL_SH_BIT(UL_SH_DEAD); }
static inline uint8_t ul_sh_origin(const uint64_t v[3]) { return (uint8_t)(v[1] >> 16); }
static inline bool ul_sh_novalidate(const uint64_t v[3]) { return v[1] & UL_SH_BIT(UL_SH_NOVALIDATE); }
static inline uint8_t ul_sh_subclass(const uint64_t v[3]) { return (uint8_t)(v[1] >> UL_SH_SUBCLASS); }
static inline uint32_t ul_sh_node(const uint64_t v[3]) { return (uint32_t)(v[1] >> UL_SH_NODE); }
static inline void ul_sh_set_node(uint64_t v[3], uint32_t node)
{
	v[1] = (v[1] & (UL_SH_BIT(UL_SH_NODE) - 1)) | (uint64_t)node << UL_SH_NODE;
}

struct ul_held {
	const void *lock;
	uint64_t chain_key;  /* key of the chain ending here */
	uintptr_t ip;        /* caller of the lock function */
	uint32_t class_id;
	uint32_t inst;
	uint32_t refs;       /* recursive re-entry count */
	uint8_t mode;
	uint8_t flags;
	uint8_t ctx;         /* signal nesting depth when taken */
	uint64_t lstat_t0;   /* lock statistics: when it was taken, 0 if not timed */
};

struct ul_thread {
	int tid;
	char name[24];
	_Atomic uint32_t depth;
	uint32_t cap;
	struct ul_held *held;
	uint32_t overflow;        /* untracked acquisitions past the cap */
	const void *reinit_held;  /* a held lock re-initialised (reported): its
				   * program's own unlock that follows is no new bug */
	/* Any of these set keeps a call off the fast path (one test there);
	 * the first three also let events pass straight through. */
	union {
		struct {
			uint8_t busy;          /* inside the runtime */
			uint8_t off;           /* validator switched off by the API */
			uint8_t ctx_untracked; /* handlers that arrived while busy */
			uint8_t lstat;         /* lock statistics on: skip the fast path */
			uint8_t ctx;           /* signal handler nesting */
			uint8_t stop_zero[3];  /* never written */
		};
		uint64_t stop;
	};
	uint64_t ctx_seed;        /* chain key seed of the current context */
	int cur_sig;
	uint64_t sig_blocked;     /* tracked signal mask */
	/* signal handler levels: the trampoline's frame (and the alternate
	 * stack it ran on), to notice a handler left by siglongjmp */
	struct ul_sigframe {
		uintptr_t sp, alt_lo, alt_hi;
		int prev_sig;
		uint8_t prev_untracked;
		bool is_signal;
	} frames[16];
	uint8_t api_ctx[16];      /* simulated contexts entered through the API */
	uint8_t api_depth;
	/* wait tracking (read by other threads' deadlock checks) */
	_Atomic(const void *) wait_lock;
	_Atomic uint32_t wait_seq;
	uint32_t wait_stack;
	uint8_t wait_mode;
	uint8_t wait_checks;      /* checks made in this wait: they back off */
	/* event waits (event.c): what this thread blocks on besides locks, the
	 * window of classes taken since its last wait, events it produced */
	_Atomic(const void *) wait_event; /* event object, or joined thread's handle */
	_Atomic uint8_t wait_event_kind;
	uintptr_t wait_ip;        /* where the event wait was called */
	uint8_t nrecent;
	uint32_t win_ver;         /* bumped when the window changes */
	uint32_t last_ev, last_ev_ver; /* the last event produced, at that window */
	uint32_t recent[16];      /* class | mode << 30, ring, since the last wait */
	uintptr_t recent_ip[16];  /* where each was taken */
	uint32_t event_class;     /* this thread's class as a join event */
	/* evidence (event.c): the event object this thread waits on and its
	 * production count then; after a wake, the held classes its waker
	 * did not need, committed when the wait loop is left */
	const void *ev_obj;
	uint32_t ev_obj_class, ev_seq0;
	const void *ev_done_obj;
	uint32_t ev_done_class;
	uint8_t nev_done;
	uint32_t ev_done[8];
	uint64_t ev_done_bloom;
	/* handshakes: this thread's last production other than its exit
	 * (the window's version then, and its class, read by joiners) */
	uint32_t hs_ver;
	_Atomic uint32_t hs_class;
	_Atomic uintptr_t handle; /* its pthread_t */
	struct ul_thread *next, *prev;
	bool registered;
	bool exited;
	bool started;             /* ran a wrapped start routine: check at exit */
	uint8_t exit_rounds;      /* key destructor rounds seen at thread exit */
	uintptr_t exit_ip;        /* pthread_exit caller, for the exit check */
	uintptr_t stack_lo, stack_hi; /* this thread's stack; hi 1 if unknown, 0 not yet */
	uint64_t mask_hash;       /* folded into chain keys: usage is per mask */
	/* Per-thread caches: the fast path writes no shared cache line. */
	struct ul_lcache {
		uintptr_t addr;
		uint32_t class_id, inst;
		uint32_t epoch;      /* of the lock's bucket when cached */
		uint8_t subclass_default;
		bool novalidate;
		bool slow;           /* identity checked on every use (stack lock) */
		/* a transition: the chain key (validated) that taking this lock
		 * makes from the chain memo_top (xor the mask hash and mode) */
		uint64_t memo_top, memo_key;
	} lcache[128];
	uint64_t ccache[256];
	struct ul_held inline_held[48];
	/* lock statistics (lockstat.c) */
	struct ul_lstat_tab *lstat_tab;
	const void *lstat_wait_lock;  /* contended lock being waited for */
	uint64_t lstat_wait_t0;
	uintptr_t lstat_holder_ip;    /* where its holder had taken it */
};

struct ul_stack {
	uint32_t n;
	uintptr_t pc[];
};

/* Class table: up to UL_CLASS_CHUNKS chunks of UL_CLASS_CHUNK ids. */
#define UL_CLASS_CHUNK 4096u
#define UL_CLASS_CHUNKS 4096u
#define UL_MAX_CLASSES (UL_CLASS_CHUNK * UL_CLASS_CHUNKS - 1)

/* What the core is told to do; the runtime fills it from the options. */
struct ul_policy {
	uint32_t max_classes;      /* class ids past this are not made */
	const char *init_wrappers; /* extra init-wrapper globs, comma-separated */
	uint32_t class_depth;      /* frames from the role site that key a made class */
	bool no_validate;          /* record held locks only: no graph, no checks */
	bool deadlock_detect;      /* waits check the wait-for graph */
	bool wait_timed;           /* timed waits are dependencies too */
	bool join_roles;           /* classes one line takes are one family (validate.c) */
};

/* Runtime-wide state. */
struct ul_runtime {
	struct ul_options opt;     /* the runtime's and the layers above it; the core reads policy */
	struct ul_policy policy;
	_Atomic bool ready;
	_Atomic bool enabled;
	int pid;
	char progname[64];
	ul_mutex_t graph_lock;
	struct ul_htab locks;    /* addr -> struct ul_lock */
	struct ul_htab chains;   /* chain key -> hits */
	struct ul_htab edges;    /* from<<32|to -> edge index */
	struct ul_htab classkeys;/* origin/key -> class id */
	struct ul_htab stacks;   /* stack hash -> stack id */
	struct ul_htab dedup;    /* report identity -> 1 */
	struct ul_htab lockpages;/* page -> up to 2 lock addresses, count */
	/* classes by id, in chunks mapped on first use (no big reservation) */
	_Atomic(struct ul_class **) class_chunks[UL_CLASS_CHUNKS];
	_Atomic uint32_t nclasses;
	_Atomic uint32_t next_inst;
	/* Bumped when the identity of a lock in this bucket (by address)
	 * ends: the per-thread lock caches forget only that bucket's locks.
	 * One cache line each, read by every fast path. */
	struct {
		_Alignas(64) _Atomic uint32_t v;
	} lock_epoch[64];
	_Atomic uint32_t nreports;
	_Atomic uint32_t nsuppressed;
	_Atomic uint32_t report_kinds[16];
	_Atomic bool limit_said[UL_LIMIT_N];
};

extern struct ul_runtime ul_rt;
/* The epoch bucket of a lock address. */
static inline _Atomic uint32_t *ul_lock_epoch(const void *lock)
{
	/* the lock cache slot's product (ul_lcache_slot), six bits below its
	 * seven: the fast path multiplies once */
	return &ul_rt.lock_epoch[(((uintptr_t)lock * 0x9e3779b97f4a7c15ULL) >> 51) & 63].v;
}

extern __thread struct ul_thread *ul_self UL_TLS;
/* While ul_self is NULL: 1 = being set up or torn down (a signal handler
 * must not re-enter), 2 = gone (later calls in TLS destructors pass). */
extern __thread uint8_t ul_self_state UL_TLS;

/* ---- lockstat.c: lock statistics (lockstat.h) ---- */
extern bool ul_lstat_on;
void ul_lstat_after_fork(struct ul_thread *self);

/* ---- thread.c: per-thread state ---- */
struct ul_thread *ul_thread_get(void);   /* creates on first use */
/* The calling thread's stack, found where allocating is safe (its start,
 * the runtime's init); lo == hi: unknown. */
void ul_thread_set_stack(struct ul_thread *t, uintptr_t lo, uintptr_t hi);
void ul_thread_exit(struct ul_thread *t);
void ul_threads_lock(void);
void ul_threads_unlock(void);
struct ul_thread *ul_threads_first(void);
void ul_threads_after_fork_child(struct ul_thread *self);
struct ul_held *ul_held_find(struct ul_thread *t, const void *lock);
bool ul_held_reserve(struct ul_thread *t);

/* ---- class.c: lock objects and classes ---- */
bool ul_lock_get(const void *addr, struct ul_lock *out);
/* Look up or create the shadow of a lock seen for the first time. */
bool ul_lock_resolve(const void *addr, uint8_t kind, uintptr_t ip, struct ul_lock *out);
/* A lock initialised by the code at return address ip. */
void ul_lock_register(const void *addr, uint8_t kind, uint8_t mutex_type, bool writer_pref,
		      uintptr_t ip, uint8_t origin, struct ul_lock *out);
void ul_lock_register_class(const void *addr, uint8_t kind, uint8_t origin, uint32_t class_id);
/* A lock on the calling thread's stack taken from another function while
 * unheld: a new identity. Fills out; false if it keeps its identity. */
bool ul_lock_stack_renew(struct ul_thread *t, const void *addr, uint8_t kind, uintptr_t ip,
			 struct ul_lock *out);
/* Module unloading: name its classes while it is there; once it is gone,
 * its locks end and its classes give up their keys (keeping their names). */
void ul_module_names_keep(uintptr_t lo, uintptr_t hi);
void ul_module_unloaded(uintptr_t lo, uintptr_t hi);
void ul_lock_kill(const void *addr);
void ul_locks_in_range_kill(uintptr_t lo, uintptr_t hi);
void ul_lock_set_class(const void *addr, uintptr_t key, const char *name, uint8_t subclass);
void ul_lock_set_novalidate(const void *addr);
void ul_lock_set_subclass(const void *addr, uint8_t subclass);
struct ul_class *ul_class_get(uint32_t id);
/* One role split by caller: nesting between them is same-class nesting. */
bool ul_class_same_family(uint32_t a, uint32_t b);
/* A mangled name of library code that runs the program's callable. */
bool ul_runs_callable(const char *mangled);
/* A mangled name of library code a lock call passes through (std::). */
bool ul_library_frame(const char *mangled);
/* A name that says it works on locks for others (xlock, lock_two). */
bool ul_lock_op_name(const char *name);
uint32_t ul_class_family(uint32_t id);
void ul_class_join(uint32_t a, uint32_t b);
uint32_t ul_class_sub(uint32_t base, uint8_t subclass);
uint32_t ul_class_for_key(uint8_t origin, uintptr_t key, uint8_t kind, const char *name);
/* A class keyed apart from the site it is named by (key: a hash of frames). */
uint32_t ul_class_for_site(uint8_t origin, uintptr_t key, uintptr_t site, uint8_t kind);
const char *ul_class_name(struct ul_class *c);
void ul_class_format(struct ul_class *c, char *buf, size_t len); /* "name/1" */
const char *ul_class_label(struct ul_class *c);                  /* "name/1", kept */
bool ul_is_static_addr(const void *addr);
void ul_static_ranges_init(void);
/* initsite.c: the class key and role frame of a lock made (or first taken,
 * first_use) by the code at return address ip. */
void ul_init_site(uintptr_t ip, bool first_use, uintptr_t *key, uintptr_t *site, uintptr_t *caller);
/* Find the unwinder (libgcc_s) for ul_stack_owner: at start-up only. */
void ul_unwind_init(void);
uintptr_t ul_stack_owner(uintptr_t a);
/* Forget the frame steps learnt for code in [lo, hi) (a module unloaded). */
void ul_steps_forget(uintptr_t lo, uintptr_t hi);
/* A function name (raw or demangled) that says it makes a lock, or matches --init-wrappers. */
bool ul_lock_maker_name(const char *name);
void ul_lock_pack(const struct ul_lock *l, uint64_t v[3]);
void ul_lock_unpack(uintptr_t addr, const uint64_t v[3], struct ul_lock *l);

/* ---- graph.c: dependency graph ---- */
struct ul_edge {
	uint32_t from, to;
	uint32_t next_out, next_in;
	uint32_t prev_out, prev_in; /* prev_out links the free list */
	uint32_t hnext;   /* an instance edge: the next in its hash bucket */
	uint32_t stack;   /* stack when the dependency was first recorded */
	uint32_t hits;
	uint8_t types;    /* bitmask of UL_DEP_* */
	bool in_cycle;
	bool seeded;      /* from history (--graph-db), not yet taken by this run */
	uintptr_t ip;     /* event -> lock: where the producer took the lock */
	uint64_t woken_by; /* lock -> event: classes (a Bloom filter) needed by every
			    * producer seen waking a waiter that held the lock;
			    * all ones until one is seen (event.c) */
	uint32_t handshake; /* thread exit -> lock: the event class the thread produced
			     * after taking the lock; lock -> thread (join): the class the
			     * joined thread had last produced when the join began; 0: none */
};
/* Dependency types: how 'from' was held (E/S) and how 'to' was taken (R/N). */
#define UL_DEP_EN 1u
#define UL_DEP_ER 2u
#define UL_DEP_SN 4u
#define UL_DEP_SR 8u
static inline uint8_t ul_dep_type(uint8_t from_mode, uint8_t to_mode)
{
	bool s = from_mode != UL_WRITE, r = to_mode == UL_RREAD;
	return (uint8_t)(s ? (r ? UL_DEP_SR : UL_DEP_SN) : (r ? UL_DEP_ER : UL_DEP_EN));
}
struct ul_node {
	uint32_t class_id;
	uint32_t inst;        /* 0 for a class node */
	uintptr_t addr;       /* instance address */
	uint32_t first_out, first_in; /* first_out links the free list */
	uint32_t nout, nin;   /* degrees */
	uint32_t ord;         /* position in the topological order */
	uint32_t mark[2];     /* BFS generation per arrival state */
	uint32_t parent[2];   /* edge index | state<<31 */
};
uint32_t ul_node_new(uint32_t class_id, uint32_t inst, uintptr_t addr);
/* An instance is gone: its node and edges are reused. */
void ul_node_free(uint32_t id);
struct ul_node *ul_node_get(uint32_t id);
struct ul_edge *ul_edge_get(uint32_t id);
uint32_t ul_edge_find(uint32_t from, uint32_t to);
/* Add or widen from->to. Returns edge index, 0 on capacity. *added tells if
 * the pair or a new type was recorded. */
uint32_t ul_edge_add(uint32_t from, uint32_t to, uint8_t type, uint32_t stack, bool *added);
/* Breadth-first search for a strong path start->target; the path closes a
 * cycle with an edge target->start of type 'closing'. Fills the first max
 * edge indices from start to target. Returns the whole length, 0 if none
 * (a caller with a short buffer asks again with a longer one). */
/* Before adding from->to: false when no path to->from can exist (the
 * topological order then admits the edge); true when a search is needed. */
bool ul_graph_may_reach(uint32_t to, uint32_t from);
int ul_graph_find_cycle(uint32_t start, uint32_t target, uint8_t closing, uint32_t *path, int max);
/* Search from 'start' along (forward or backward) edges for a class whose
 * usage mask 'bit' intersects 'sigs'. Returns node id, fills path. */
uint32_t ul_graph_usage_search(uint32_t start, bool forward, bool state0, uint8_t first_types,
			       uint64_t sig, bool match_start, uint32_t *found_class);
uint32_t ul_graph_nedges(void);  /* live */
uint32_t ul_graph_node_ids(void); /* highest id ever used */
uint32_t ul_graph_edge_ids(void);
bool ul_graph_ordered(void);
void ul_graph_skip_positions(uint32_t hi); /* tests */
void ul_graph_components_joined(uint32_t from, uint32_t into);
void ul_graph_take_cycle(const uint32_t *path, int len, uint32_t closing, uint32_t stack, struct ul_step *steps);

/* ---- validate.c: events ---- */
struct ul_acquire {
	const void *lock;
	uintptr_t ip;
	uint8_t kind;
	uint8_t mode;
	uint8_t flags;
	uint8_t subclass;     /* 0xff: the lock's default */
	uint8_t mutex_type;   /* for recursion rules */
	bool writer_pref;
	/* filled by ul_validate_acquire */
	uint32_t class_id, inst;
	uint64_t chain_key;
	bool reentry;         /* owner re-entry of a recursive lock */
	bool tracked;
};
/* Validate before blocking. Returns false when the event is not tracked. */
bool ul_validate_acquire(struct ul_thread *t, struct ul_acquire *a);
/* The lock is now held. */
void ul_acquired(struct ul_thread *t, const struct ul_acquire *a);
/* Release; false if it was not held (reported as bad_unlock). */
bool ul_release(struct ul_thread *t, const void *lock, uintptr_t ip, bool report);
void ul_lock_destroyed(struct ul_thread *t, const void *lock, uintptr_t ip, bool reinit);
void ul_memory_freed(struct ul_thread *t, const void *p, size_t size, uintptr_t ip);
void ul_check_exit(struct ul_thread *t, uintptr_t ip); /* ip: pthread_exit caller, or 0 */

/* ---- usage.c: signal context ---- */
uint32_t ul_usage_stack(const struct ul_class *c, int bit, int sig);
void ul_usage_acquire(struct ul_thread *t, const struct ul_acquire *a);
void ul_usage_unblock(struct ul_thread *t, uint64_t newly_enabled);
void ul_usage_check_edge(struct ul_thread *t, const struct ul_acquire *a, uint32_t from_class,
			 uint32_t to_class, uint8_t type);
extern _Atomic uint64_t ul_handled_sigs;

/* ---- wait.c: real deadlocks ---- */
void ul_wait_begin(struct ul_thread *t, const void *lock, uint8_t mode);
void ul_wait_end(struct ul_thread *t);
/* Called by a thread that has waited too long; may not return (abort). */
void ul_wait_check(struct ul_thread *t);
/* Milliseconds until the next check of this wait: 1 s, doubling to 32 s,
 * so thousands of long waiters do not rescan the threads every second. */
long ul_wait_next_ms(struct ul_thread *t);

/* ---- event.c: wait/event dependencies ---- */
/* An acquisition enters the producer window (not trylocks). */
static inline __attribute__((always_inline)) void ul_event_note_v(struct ul_thread *t, uint32_t v,
								     uintptr_t ip)
{
	uint8_t n = t->nrecent;
	/* nested locks taken over and over are already there: no store */
	if (likely(t->recent[(n - 1) & 15] == v || t->recent[(n - 2) & 15] == v ||
		   t->recent[(n - 3) & 15] == v))
		return;
	t->recent[n & 15] = v;
	t->recent_ip[n & 15] = ip;
	t->win_ver++;
	t->nrecent = (uint8_t)(n + 1 < 32 ? n + 1 : 16 + ((n + 1) & 15));
}
static inline void ul_event_note(struct ul_thread *t, uint32_t class_id, uint8_t mode, uint8_t flags,
				 uintptr_t ip)
{
	if ((flags & UL_ACQ_TRY) || t->ctx || (class_id >> 30)) /* a handler's locks are not on the way */
		return;
	ul_event_note_v(t, class_id | (uint32_t)mode << 30, ip);
}
/* A wait: the window starts empty. */
static inline void ul_event_window_reset(struct ul_thread *t)
{
	memset(t->recent, 0, sizeof t->recent);
	t->nrecent = 0;
	t->win_ver++;
}
/* The class of an event object (static symbol, init site or first use). */
uint32_t ul_event_class(const void *ev, uint8_t kind, uintptr_t ip);
/* Waiting on an event: held locks -> event, then the window restarts. */
#define UL_EVW_TIMED 1u /* has a timeout: an edge only with --wait-timed */
#define UL_EVW_KEEP 2u  /* may not block at all (once): the window goes on */
void ul_event_wait(struct ul_thread *t, uint32_t ev_class, uintptr_t ip, unsigned flags);
/* A join of the thread with this handle: the wait knows the handshake. */
void ul_event_join(struct ul_thread *t, uint32_t ev_class, uintptr_t handle, uintptr_t ip, unsigned flags);
/* Producing an event: event -> classes taken since the last wait, except
 * skip_class; held: also those still held (false for barriers, whose
 * arrival is the thread's own wait). */
void ul_event_produce(struct ul_thread *t, uint32_t ev_class, uintptr_t ip,
		      uint32_t skip_class, bool held);
/* Evidence: before a wait on the object ev of class ev_class, note how
 * often it was produced; after the wait, ul_event_woken learns which held
 * classes the producer that woke it did not need (nothing for a wait
 * that timed out or was woken by several productions). loop: a
 * condition wait, whose evidence counts only once its loop is left (the
 * next wait on ev with the mutex kept held discards it). once: ev is
 * produced once in its life (a thread's exit), also before the wait. */
void ul_event_wait_note(struct ul_thread *t, const void *ev, uint32_t ev_class, bool once);
/* A production of the object ev of class ev_class (before the real
 * signal or post). */
void ul_event_record(struct ul_thread *t, const void *ev, uint32_t ev_class);
/* ev is gone (destroyed, or a joined thread's handle). */
void ul_event_forget(const void *ev);
void ul_event_woken(struct ul_thread *t, bool loop);
/* A condition wait begins again on ev with its mutex still held from the
 * last one: the last wake did not end the loop. */
void ul_event_wait_again(struct ul_thread *t, const void *ev);
/* Commit pending evidence (also done by every wait and production). */
void ul_event_evidence_commit(struct ul_thread *t);
/* A cycle of edges (closing, then path[0..len-1]) that goes lock L ->
 * event E -> M where no producer seen waking a waiter holding L needed M:
 * the waiter does not depend on the producers that need M. Graph lock held. */
bool ul_event_cycle_refuted(uint32_t closing, const uint32_t *path, int len);
/* Real-deadlock bookkeeping: this thread blocks on an event. */
void ul_event_block(struct ul_thread *t, const void *ev, uint8_t kind, uintptr_t ip);
void ul_event_unblock(struct ul_thread *t);

/* ---- stack.c ---- */
void ul_stack_init(void);
uint32_t ul_stack_capture_from(uintptr_t from);
const struct ul_stack *ul_stack_get(uint32_t id);
bool ul_ip_in_runtime(uintptr_t ip);

/* ---- runtime.c (above the core; interceptors start it) ---- */
void ul_runtime_init(void);

/* ---- chain.c ---- */
/* Lock cache slot: a multiplicative hash, so objects at any stride spread. */
static inline uint32_t ul_lcache_slot(const void *lock)
{
	return (uint32_t)(((uintptr_t)lock * 0x9e3779b97f4a7c15ULL) >> 57); /* 7 bits: 128 slots */
}

static inline void ul_chain_key_next(uint64_t *key, uint32_t class_id, uint8_t mode, uint8_t flags,
				     uint64_t mask_hash)
{
	uint64_t k = *key ^ (((uint64_t)class_id << 8 | (uint64_t)mode << 1 | (flags & UL_ACQ_TRY)) *
			     0x9e3779b97f4a7c15ULL) ^ mask_hash;
	k = (k ^ (k >> 29)) * 0xbf58476d1ce4e5b9ULL;
	*key = (k ^ (k >> 32)) | 1;
}
bool ul_chain_cached(struct ul_thread *t, uint64_t key);
void ul_chain_add(uint64_t key);
void ul_thread_mask_changed(struct ul_thread *t);
void ul_thread_ctx_changed(struct ul_thread *t);
void ul_ctx_left_at(struct ul_thread *t, uintptr_t sp);
/* intercept/signal.c, out of line so the wrappers need no frame of their
 * own: its frame is a few words below the caller's, far above any
 * handler's. */
void ul_ctx_left_check(struct ul_thread *t);

#endif
