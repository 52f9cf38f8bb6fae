/* Options shared by the runtime and the launcher (see options.def). */
#ifndef UL_OPTIONS_H
#define UL_OPTIONS_H
#include <stdbool.h>

#define UL_MAX_LIST 16

struct ul_options {
#define OPT(n, t, d, m, h) UL_OPT_FIELD_##t(n)
#define UL_OPT_FIELD_B(n) bool n;
#define UL_OPT_FIELD_I(n) long n;
#define UL_OPT_FIELD_S(n) const char *n;
#define UL_OPT_FIELD_L(n) const char *n[UL_MAX_LIST]; int n##_count;
#include "options.def"
#undef OPT
};

struct ul_option_desc {
	const char *name;
	char type;
	const char *def;
	const char *metavar;
	const char *help;
};

extern const struct ul_option_desc ul_option_table[];
extern const int ul_option_count;

void ul_options_defaults(struct ul_options *o);
/* Set one option by name; value is copied only by pointer (caller keeps it).
 * Returns 0, or -1 with a message in err. */
int ul_option_set(struct ul_options *o, const char *name, const char *value, char *err, int errlen);
/* Parse "a=1:b=x y" (':' or whitespace separated). The string is modified. */
int ul_options_parse(struct ul_options *o, char *s, char *err, int errlen);
const struct ul_option_desc *ul_option_find(const char *name);
/* Internal options (help starts "Internal:") are set by the launcher only. */
bool ul_option_internal(const struct ul_option_desc *d);
void ul_option_names(char *buf, int len);

#endif
