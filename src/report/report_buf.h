/* A report under construction: text in the kernel layout plus the facts
 * the JSON/SARIF writers and suppressions need. */
#ifndef UL_REPORT_BUF_H
#define UL_REPORT_BUF_H
#include "report.h"

#include "sbuf.h"

#define UL_RB_TEXT (48 * 1024) /* first buffer; a longer report grows */
#define UL_RB_LOCKS 34         /* likewise for the lock and stack lists */
#define UL_RB_STACKS 40

struct ul_rb_stack {
	char label[64];   /* copied: callers pass names built on their stack */
	uint32_t stack;   /* depot id, or 0 with ip set */
	uintptr_t ip;
	const char *text; /* or: frames as text, one a line (a --graph-db edge) */
};

struct ul_rb {
	int report_kind;
	const char *header;
	struct ul_sbuf text;
	const char **locks;
	uint32_t *lock_ids;   /* their classes, 0 if none */
	uintptr_t *lock_addr; /* the instance behind each class, 0: unknown */
	uint32_t *lock_inst;
	char fingerprint[17];
	int nlocks;
	uint32_t locks_cap;
	struct ul_rb_stack *stacks;
	int nstacks;
	uint32_t stacks_cap;
	char thread[64];
	char extra_name[256]; /* a lock with no class yet, named by its symbol */
	uint64_t id;      /* dedup identity */
	int cancel_state; /* the thread's, restored when the report is done */
};

/* Start a report; returns NULL when this problem was already reported. */
struct ul_rb *ul_rb_begin(int report_kind, const char *header, uint64_t id, struct ul_thread *t);
void ul_rb_printf(struct ul_rb *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ul_rb_lock_name(struct ul_rb *r, uint32_t class_id);
/* Append a lock to the report's lock list (JSON, suppressions), with its
 * class (0: none) and the lock object and instance behind it (0: unknown). */
void ul_rb_add_lock(struct ul_rb *r, const char *name, uint32_t class_id, uintptr_t addr, uint32_t inst);
/* Record the lock object and instance of the class just named. */
void ul_rb_lock_instance(struct ul_rb *r, uintptr_t addr, uint32_t inst);
void ul_rb_stack(struct ul_rb *r, const char *label, uint32_t stack, int indent);
void ul_rb_held_locks(struct ul_rb *r, struct ul_thread *t);
void ul_rb_backtrace(struct ul_rb *r, uintptr_t from);
void ul_rb_finish(struct ul_rb *r);
const char *ul_rb_thread_name(struct ul_thread *t, char *buf, size_t len);
void ul_usage_string(uint32_t class_id, char out[5]);

/* json.c */
void ul_json_write(const struct ul_rb *r);
/* --html: append one line to NAME in the launcher's private directory. */
void ul_html_data_append(const char *name, const char *line, size_t len);
/* Escape JSON string content: always valid UTF-8 (a bad byte becomes the
 * text \xHH), NUL-terminated, never a partial escape; *used (if set) gets
 * the input bytes consumed. Returns the output length. */
size_t ul_json_escape(char *out, size_t len, const char *s, size_t slen, size_t *used);
/* sarif.c */
void ul_sarif_add(const struct ul_rb *r);
/* Rewrite the log; at_exit: also when it has no results (the owner's file). */
void ul_sarif_write(bool at_exit);
void ul_sarif_after_fork(void);
/* The owner's new image after exec: keep the results the earlier one wrote. */
void ul_sarif_after_exec(void);
/* baseline.c */
void ul_report_fingerprint(struct ul_rb *r);
int ul_baseline_load(const char *path, char *err, int errlen);
bool ul_baseline_has(const struct ul_rb *r); /* counts it */
uint32_t ul_baselined(void);
/* suppress.c */
/* fd: the launcher's descriptor for path, or -1 to open it here. */
int ul_suppress_load(const char *path, int fd, char *err, int errlen);
int ul_suppress_match(const struct ul_rb *r); /* rule index or -1 */
void ul_suppress_print_rule(const struct ul_rb *r);
void ul_suppress_rule(const struct ul_rb *r, char *buf, size_t len); /* "kind pattern # <reason>" */
void ul_suppress_summary(struct ul_sbuf *b);

#endif
