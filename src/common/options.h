/* Options shared by the runtime and the launcher (see options.def). */
#ifndef UL_OPTIONS_H
#define UL_OPTIONS_H
#include <stdbool.h>

#define UL_MAX_LIST 16
/* The launcher names here a library it put first in LD_PRELOAD for the
 * program alone (libasan); the runtime takes it out for the children. */
#define UL_ADDED_PRELOAD_ENV "ULOCKDEP_ADDED_PRELOAD"

struct ul_options {
#define OPT(n, t, d, m, lo, hi, v, h) UL_OPT_FIELD_##t(n)
#define UL_OPT_FIELD_B(n) bool n;
#define UL_OPT_FIELD_I(n) long n;
#define UL_OPT_FIELD_E(n) const char *n;
#define UL_OPT_FIELD_G(n) int n;
#define UL_OPT_FIELD_P(n) const char *n;
#define UL_OPT_FIELD_S(n) const char *n;
#define UL_OPT_FIELD_C(n) const char *n;
#define UL_OPT_FIELD_L(n) const char *n[UL_MAX_LIST]; int n##_count;
#include "options.def"
#undef OPT
};

struct ul_option_desc {
	const char *name;
	char type;
	const char *def;
	const char *metavar;
	long min, max;
	const char *values;
	const char *help;
};

extern const struct ul_option_desc ul_option_table[];
extern const int ul_option_count;

void ul_options_defaults(struct ul_options *o);
/* Set one option by name; value is copied only by pointer (caller keeps it).
 * Returns 0, or -1 with one line in err naming the option, the value and
 * what is allowed. */
int ul_option_set(struct ul_options *o, const char *name, const char *value, char *err, int errlen);
/* Parse ULOCKDEP_OPTIONS: NAME=VALUE items separated by ':' or white space.
 * A value may be quoted: "..." with \" and \\ escapes, or '...' taken as is.
 * An unquoted value ends at white space or at a ':' followed by NAME=,
 * by another separator or by the end of the string.
 * The string is modified in place. */
int ul_options_parse(struct ul_options *o, char *s, char *err, int errlen);
/* Append NAME="VALUE" to out (with a separator), quoting so that
 * ul_options_parse gives VALUE back exactly. Returns -1 if out is too small. */
int ul_option_encode(char *out, int len, const char *name, const char *value);
const struct ul_option_desc *ul_option_find(const char *name);
/* Internal options (help starts "Internal:") are set by the launcher only. */
bool ul_option_internal(const struct ul_option_desc *d);
void ul_option_names(char *buf, int len);
/* What an option accepts, in words ("an integer in 0..255"). */
void ul_option_allowed(const struct ul_option_desc *d, char *buf, int len);
/* A catchable signal by name (SIGQUIT, QUIT, RTMIN+2) or number; -1 if none. */
int ul_signal_parse(const char *s);

#endif
