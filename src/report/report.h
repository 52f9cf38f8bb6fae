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

/* The wait report's verbs: "wait"/"signal", "join"/"exit", ... */
const char *ul_event_verb(uint8_t kind, bool produce);

/* Print the held-lock list of a thread to a buffer-backed report. */
void ul_report_show_all_held(int fd);
void ul_report_exit_summary(void);
void ul_report_init(void);
void ul_report_after_fork(void);
/* Emit a notice line (limits reached etc.) on the report stream. */
void ul_report_notice(const char *msg);

#endif
