/* What the core emits: findings as plain data, handed to one sink that the
 * runtime installs (struct ul_core_hooks). The core never prints,
 * symbolizes or exits; the layers above turn a finding into a report and
 * apply the policy (abort, exit status). A finding lives for the sink call
 * only: its pointers refer to the reporting thread's state. */
#ifndef UL_FINDING_H
#define UL_FINDING_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ul_thread;
struct ul_acquire;
struct ul_held;

/* Report kinds: one finding kind per report the user can see. */
enum ul_report_kind {
	UL_R_CIRCULAR, UL_R_RECURSIVE, UL_R_BAD_UNLOCK, UL_R_HELD_FREED, UL_R_HELD_AT_EXIT,
	UL_R_INCONSISTENT, UL_R_CONTEXT_ORDER, UL_R_ASSERT, UL_R_DEADLOCK, UL_R_WAIT, UL_R_NKINDS
};

/* One class (or instance) on a cycle; stack: where the dependency into it
 * was first recorded (for step 0: the current stack). */
struct ul_step {
	uint32_t class_id;
	uint32_t inst;
	uintptr_t addr;   /* instance address, 0 for a class step */
	uint32_t stack;
	uint8_t types;    /* type of the dependency into this step */
	uint32_t edge;    /* that dependency (0 for step 0) */
	uintptr_t ip;     /* event -> lock dependency: where the producer took the lock */
};

/* One thread on a wait-for cycle. */
struct ul_wait_info {
	struct ul_thread *t;
	const void *lock;
	uint32_t class_id;
	uint8_t mode;
	uint32_t stack;
	const void *event;          /* not a lock wait: the event (or joined thread's handle) */
	uint8_t event_kind;
	struct ul_thread *producer; /* whom the event wait waits for */
	uintptr_t ip;               /* event wait: its call site, when no stack was taken */
};

/* What closed a cycle through an event (kind wait). */
enum { UL_WAIT_BY_WAIT, UL_WAIT_BY_EVENT, UL_WAIT_BY_LOCK };

struct ul_finding {
	enum ul_report_kind report_kind;
	struct ul_thread *t;             /* where it was found; its held locks */
	const struct ul_acquire *acq;    /* the acquisition that found it */
	const struct ul_held *held;      /* circular: the held lock before acq;
					    recursive, held_freed: the held lock */
	uintptr_t ip;                    /* caller of the event */
	const void *lock;                /* bad_unlock, assert */
	const char *why;                 /* bad_unlock, held_freed, assert: what happened */
	uintptr_t lo, hi;                /* held_freed: the freed range */
	const struct ul_step *steps;     /* circular: the cycle */
	int nsteps;
	bool instances;                  /* circular: steps are instances of one class */
	int sig, old_bit, new_bit;       /* inconsistent, context_order */
	uint32_t safe_class, unsafe_class;
	bool inversion;                  /* context_order: a state change closed it */
	const struct ul_wait_info *waits;/* deadlock: the wait-for cycle */
	int nwaits;
	int wait_by;                     /* wait: UL_WAIT_BY_* */
};

/* Tables with a hard cap: each degrades with one notice. */
enum ul_limit {
	UL_LIMIT_CLASSES, UL_LIMIT_LOCKS, UL_LIMIT_HELD, UL_LIMIT_NODES, UL_LIMIT_EDGES,
	UL_LIMIT_INSTANCES, UL_LIMIT_CHAINS, UL_LIMIT_LOCK_STAT,
	/* memory ran out before the cap: the same degradation */
	UL_LIMIT_CLASSES_OOM, UL_LIMIT_NODES_OOM, UL_LIMIT_EDGES_OOM, UL_LIMIT_STACKS_OOM,
	UL_LIMIT_CYCLE_OOM, UL_LIMIT_PAGES_OOM, UL_LIMIT_SHM_SEGS, UL_LIMIT_N
};

struct ul_core_sym {
	char name[256];
	uintptr_t start, size;
};

/* Installed by the runtime before the first event. */
struct ul_core_hooks {
	/* The sink. For a deadlock, returns true if this call made the
	 * report (the deadlock policy runs on that thread only); for the
	 * other kinds the return value carries no meaning. */
	bool (*finding)(const struct ul_finding *f);
	void (*limit)(enum ul_limit which);
	/* Names for classes, from symbols: "lock_a", "forks+0x28"; "f+0x1c (f.c:42)" */
	void (*data_name)(uintptr_t addr, char *buf, size_t len);
	void (*site_name)(uintptr_t ip, char *buf, size_t len);
	/* The symbol containing addr (its raw, mangled name), or false
	 * (lock wrappers, role frames, names of globals). */
	bool (*symbol)(uintptr_t addr, struct ul_core_sym *out);
	/* A C++ name demangled into buf, or false. */
	bool (*demangle)(const char *name, char *buf, size_t len);
	/* Resolve file:line of many sites at once (before a module goes). */
	void (*prefetch)(const uintptr_t *ips, int n);
	/* The class an earlier run recorded (--graph-db) for a lock made
	 * through wrappers at this role site, or 0. Graph lock held. */
	uint32_t (*site_class)(uint8_t origin, uintptr_t site);
	/* A new thread's state exists: arrange for ul_thread_exit at its end. */
	void (*thread_started)(struct ul_thread *t);
	/* Does the lock's own word say someone holds it (any thread)? */
	bool (*lock_busy)(const void *lock, uint8_t kind);
};
extern struct ul_core_hooks ul_hooks;

/* Hand a finding to the sink (false if none is installed). */
bool ul_found(const struct ul_finding *f);
/* A capped table is full: one notice per limit, ever. */
void ul_notice_limit(enum ul_limit which);

#endif
