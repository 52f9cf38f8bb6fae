/* The launcher's HTML report (--html, "ulockdep html") and the JSON
 * reader it uses. Out of process: nothing here is in the runtime. */
#ifndef UL_CLI_HTML_H
#define UL_CLI_HTML_H

enum jv_type { JV_NULL, JV_BOOL, JV_NUM, JV_STR, JV_ARR, JV_OBJ };

struct jv {
	enum jv_type type;
	char *key;          /* member name inside an object */
	char *str;
	double num;
	struct jv *child;   /* first element or member */
	struct jv *next;
};

/* Parse one value; *end is set after it (and trailing blanks). NULL on error. */
struct jv *jv_parse(const char *s, const char **end);
void jv_free(struct jv *v);
struct jv *jv_get(const struct jv *o, const char *key);
const char *jv_str(const struct jv *o, const char *key); /* "" if absent */
double jv_num(const struct jv *o, const char *key);      /* 0 if absent */

/* Build OUT from the runtime's JSON files (reports, lock_stat, run
 * summary lines; graph files written by --graph). Returns 0 or prints why
 * not and returns 1. */
int ul_html_build(const char *out, const char *const *inputs, int n);
/* Remove ulockdep's variables from this process's environment (LD_PRELOAD,
 * ULOCKDEP_OPTIONS, ULOCKDEP_FDS, the graph-db hand-over): for a helper
 * (Graphviz) that must not run under ulockdep. */
void ul_helper_env(void);

#endif
