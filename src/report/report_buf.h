/* A report under construction: text in the kernel layout plus the facts
 * the JSON/SARIF writers and suppressions need. */
#ifndef UL_REPORT_BUF_H
#define UL_REPORT_BUF_H
#include "report.h"

#define UL_RB_TEXT (48 * 1024)
#define UL_RB_LOCKS 34
#define UL_RB_STACKS 40

struct ul_rb_stack {
	char label[64];   /* copied: callers pass names built on their stack */
	uint32_t stack;   /* depot id, or 0 with ip set */
	uintptr_t ip;
};

struct ul_rb {
	int kind;
	const char *header;
	char text[UL_RB_TEXT];
	size_t len;
	const char *locks[UL_RB_LOCKS];
	int nlocks;
	struct ul_rb_stack stacks[UL_RB_STACKS];
	int nstacks;
	char thread[64];
	char extra_name[256]; /* a lock with no class yet, named by its symbol */
	uint64_t id;      /* dedup identity */
};

/* Start a report; returns NULL when this problem was already reported. */
struct ul_rb *ul_rb_begin(int kind, const char *header, uint64_t id, struct ul_thread *t);
void ul_rb_printf(struct ul_rb *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ul_rb_lock_name(struct ul_rb *r, uint32_t class_id);
void ul_rb_stack(struct ul_rb *r, const char *label, uint32_t stack, int indent);
void ul_rb_held_locks(struct ul_rb *r, struct ul_thread *t);
void ul_rb_backtrace(struct ul_rb *r, uintptr_t from);
void ul_rb_finish(struct ul_rb *r);
const char *ul_rb_thread_name(struct ul_thread *t, char *buf, size_t len);
void ul_usage_string(uint32_t class_id, char out[5]);

/* json.c */
void ul_json_write(const struct ul_rb *r);
/* sarif.c */
void ul_sarif_add(const struct ul_rb *r);
void ul_sarif_write(void);
/* suppress.c */
int ul_suppress_load(const char *path, char *err, int errlen);
int ul_suppress_match(const struct ul_rb *r); /* rule index or -1 */
void ul_suppress_print_rule(const struct ul_rb *r, int fd);
void ul_suppress_summary(char *buf, size_t len);

#endif
