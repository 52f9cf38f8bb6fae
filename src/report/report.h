/* Reports in the kernel lockdep layout, plus JSON/SARIF records. */
#ifndef UL_REPORT_H
#define UL_REPORT_H
#include "../core/core.h"

extern const char *const ul_report_kind_names[UL_R_NKINDS];

/* The core's sink: turn a finding into a report (text, JSON, SARIF),
 * unless it is a duplicate or suppressed. For a deadlock, true if this
 * call made the report. */
bool ul_report_finding(const struct ul_finding *f);
/* The one notice for a capped table. */
void ul_report_limit(enum ul_limit which);

/* Each kind's report; ul_report_finding picks one. */
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

/* The wait report's verbs: "wait"/"signal", "join"/"exit", ... */
const char *ul_event_verb(uint8_t kind, bool produce);
void ul_report_wait(struct ul_thread *t, const struct ul_step *steps, int n, int by, uintptr_t ip);

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
