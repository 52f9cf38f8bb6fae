/* Reports in the kernel lockdep layout, plus JSON/SARIF records. */
#ifndef UL_REPORT_H
#define UL_REPORT_H
#include "../core/core.h"

enum ul_report_kind {
	UL_R_CIRCULAR, UL_R_RECURSIVE, UL_R_BAD_UNLOCK, UL_R_HELD_FREED, UL_R_HELD_AT_EXIT,
	UL_R_INCONSISTENT, UL_R_CONTEXT_ORDER, UL_R_ASSERT, UL_R_DEADLOCK, UL_R_WAIT, UL_R_NKINDS
};
extern const char *const ul_report_kind_names[UL_R_NKINDS];

/* One class (or instance) on a cycle; stack: where the edge into it was
 * first recorded (for step 0: the current stack). */
struct ul_step {
	uint32_t class_id;
	uint32_t inst;
	uintptr_t addr;   /* instance address, 0 for a class step */
	uint32_t stack;
	uint8_t types;    /* type of the edge into this step */
	uintptr_t ip;     /* event -> lock edge: where the lock was taken */
};

void ul_report_circular(struct ul_thread *t, const struct ul_acquire *a, const struct ul_held *prev,
			const struct ul_step *steps, int n, bool instances);
void ul_report_recursive(struct ul_thread *t, const struct ul_acquire *a, const struct ul_held *h);
void ul_report_bad_unlock(struct ul_thread *t, const void *lock, uintptr_t ip, const char *why);
void ul_report_held_freed(struct ul_thread *t, const struct ul_held *h, uintptr_t start,
			  uintptr_t end, uintptr_t ip, const char *what);
void ul_report_held_at_exit(struct ul_thread *t, uintptr_t ip);
void ul_report_assert(struct ul_thread *t, const void *lock, const char *what, uintptr_t ip);
/* usage reports: a class both used in a handler of sig and taken with sig deliverable */
void ul_report_inconsistent(struct ul_thread *t, const struct ul_acquire *a, int sig,
			    int old_bit, int new_bit);
void ul_report_context_order(struct ul_thread *t, const struct ul_acquire *a, int sig,
			     uint32_t safe_class, uint32_t unsafe_class, const uint32_t *path, int n,
			     bool inversion);

/* A cycle through an event (kind wait). steps as for circular: steps[0]
 * is where the new edge goes, steps[n-1] where it comes from. */
enum { UL_WAIT_BY_WAIT, UL_WAIT_BY_EVENT, UL_WAIT_BY_LOCK };
void ul_report_wait(struct ul_thread *t, const struct ul_step *steps, int n, int by, uintptr_t ip);
const char *ul_event_verb(uint8_t kind, bool produce);

/* Deadlock report: one entry per thread on the wait-for cycle. */
struct ul_wait_info {
	struct ul_thread *t;
	const void *lock;
	uint32_t class_id;
	uint8_t mode;
	uint32_t stack;
	const void *event;  /* not a lock wait: the event (or joined thread) */
	uint8_t event_kind;
	struct ul_thread *producer; /* whom the event wait waits for */
};
/* Returns true if this call made the report (it was not a duplicate). */
bool ul_report_deadlock(const struct ul_wait_info *w, int n);

/* Print the held-lock list of a thread to a buffer-backed report. */
void ul_report_show_all_held(int fd);
void ul_report_exit_summary(void);
void ul_report_init(void);
void ul_report_after_fork(void);
/* Emit a notice line (limits reached etc.) on the report stream. */
void ul_report_notice(const char *msg);

#endif
