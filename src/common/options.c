#define _GNU_SOURCE
#include "options.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct ul_option_desc ul_option_table[] = {
#define OPT(n, t, d, m, lo, hi, v, h) { #n, #t[0], d, m, lo, hi, v, h },
#include "options.def"
#undef OPT
};
const int ul_option_count = (int)(sizeof(ul_option_table) / sizeof(ul_option_table[0]));

const struct ul_option_desc *ul_option_find(const char *name)
{
	for (int i = 0; i < ul_option_count; i++)
		if (strcmp(ul_option_table[i].name, name) == 0)
			return &ul_option_table[i];
	return NULL;
}

bool ul_option_internal(const struct ul_option_desc *d)
{
	return !strncmp(d->help, "Internal:", 9);
}

void ul_option_names(char *buf, int len)
{
	int off = 0;
	buf[0] = 0;
	for (int i = 0; i < ul_option_count && off < len; i++)
		if (!ul_option_internal(&ul_option_table[i]))
			off += snprintf(buf + off, (size_t)(len - off), "%s%s", off ? ", " : "",
					ul_option_table[i].name);
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
		*out = false;
	else
		return -1;
	return 0;
}

/* A decimal integer in lo..hi, nothing else. */
static int parse_int(const char *v, long lo, long hi, long *out)
{
	char *end;
	if (!((*v >= '0' && *v <= '9') || (*v == '-' && v[1] >= '0' && v[1] <= '9')))
		return -1; /* no '+', no white space */
	errno = 0;
	long x = strtol(v, &end, 10);
	if (*end || errno || x < lo || x > hi)
		return -1;
	*out = x;
	return 0;
}

/* A signal the dump may take: catchable and asynchronous. glibc keeps two
 * real-time signals below SIGRTMIN for itself; a fault (SEGV, BUS, FPE,
 * ILL, TRAP, SYS) is raised again by the faulting instruction, so a
 * handler that returns would run forever. */
static bool catchable(int sig)
{
	switch (sig) {
	case SIGKILL: case SIGSTOP:
	case SIGSEGV: case SIGBUS: case SIGFPE: case SIGILL: case SIGTRAP: case SIGSYS:
		return false;
	}
	return sig > 0 && sig <= SIGRTMAX && (sig < 32 || sig >= SIGRTMIN);
}

int ul_signal_parse(const char *s)
{
	long n;
	if (*s >= '0' && *s <= '9')
		return parse_int(s, 1, SIGRTMAX, &n) == 0 && catchable((int)n) ? (int)n : -1;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	int sig = -1;
	if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
		bool max = (s[3] | 0x20) == 'a';
		long off = 0;
		if (s[5] && ((s[5] != '+' && s[5] != '-') || (s[5] == '+') == max ||
			     parse_int(s + 6, 0, SIGRTMAX - SIGRTMIN, &off)))
			return -1;
		sig = max ? SIGRTMAX - (int)off : SIGRTMIN + (int)off;
	} else {
		for (int i = 1; i < 32 && sig < 0; i++) {
			const char *a = sigabbrev_np(i);
			if (a && !strcasecmp(a, s))
				sig = i;
		}
	}
	return catchable(sig) ? sig : -1;
}

/* "exit:1..255" in an enum's values: the word and the range of N. */
static int enum_match(const char *values, const char *v)
{
	const char *p = values;
	while (*p) {
		size_t n = strcspn(p, "|");
		const char *colon = memchr(p, ':', n);
		if (!colon) {
			if (strlen(v) == n && !strncmp(v, p, n))
				return 0;
		} else {
			size_t w = (size_t)(colon - p) + 1;
			long lo = strtol(colon + 1, NULL, 10), hi = lo, x;
			const char *dots = strstr(colon, "..");
			if (dots && dots < p + n)
				hi = strtol(dots + 2, NULL, 10);
			if (!strncmp(v, p, w) && parse_int(v + w, lo, hi, &x) == 0)
				return 0;
		}
		p += n + (p[n] == '|');
	}
	return -1;
}

static bool items_fit(const char *v, size_t max)
{
	for (size_t n; *v; v += n + (v[n] == ',')) {
		n = strcspn(v, ",");
		if (n > max)
			return false;
	}
	return true;
}

void ul_option_allowed(const struct ul_option_desc *d, char *buf, int len)
{
	switch (d->type) {
	case 'B':
		snprintf(buf, (size_t)len, "1 or 0 (also true/false, yes/no, on/off)");
		break;
	case 'I':
		snprintf(buf, (size_t)len, "an integer in %ld..%ld", d->min, d->max);
		break;
	case 'E': {
		int o = snprintf(buf, (size_t)len, "one of ");
		for (const char *p = d->values; *p && o < len;) {
			size_t n = strcspn(p, "|");
			const char *colon = memchr(p, ':', n);
			if (colon)
				o += snprintf(buf + o, (size_t)(len - o), "%.*s:N with N in %.*s", (int)(colon - p + 1) - 1,
					      p, (int)(n - (size_t)(colon - p) - 1), colon + 1);
			else
				o += snprintf(buf + o, (size_t)(len - o), "%.*s", (int)n, p);
			p += n;
			if (*p == '|' && o < len)
				o += snprintf(buf + o, (size_t)(len - o), p[1 + strcspn(p + 1, "|")] ? ", " : " or ");
			p += *p == '|';
		}
		break;
	}
	case 'G':
		snprintf(buf, (size_t)len, "a catchable, asynchronous signal by name or number (e.g. SIGQUIT, USR1, RTMIN+1, 10); "
			 "not KILL, STOP, 32, 33 or a fault signal (SEGV, BUS, FPE, ILL, TRAP, SYS)");
		break;
	case 'P':
		snprintf(buf, (size_t)len, "a path of at most %d bytes (PATH_MAX)", PATH_MAX - 1);
		break;
	case 'L':
		snprintf(buf, (size_t)len, "a path of at most %d bytes, given at most %d times", PATH_MAX - 1,
			 UL_MAX_LIST);
		break;
	case 'C':
		snprintf(buf, (size_t)len, "a comma-separated list, each item at most %ld bytes", d->max);
		break;
	default:
		snprintf(buf, (size_t)len, "a string of at most %ld bytes", d->max);
	}
}

int ul_option_set(struct ul_options *o, const char *name, const char *value, char *err, int errlen)
{
	const struct ul_option_desc *d = ul_option_find(name);
	if (!d) {
		char names[1024];
		ul_option_names(names, sizeof names);
		snprintf(err, (size_t)errlen, "unknown option '%s'; valid options: %s", name, names);
		return -1;
	}
	int bad = 0;
	size_t len = strlen(value);
#define OPT(n, t, df, m, lo, hi, v, h) \
	if (!strcmp(d->name, #n)) { UL_OPT_SET_##t(n, lo, hi, v); goto done; }
#define UL_OPT_SET_B(n, lo, hi, v) bad = parse_bool(value, &o->n)
#define UL_OPT_SET_I(n, lo, hi, v) bad = parse_int(value, lo, hi, &o->n)
#define UL_OPT_SET_E(n, lo, hi, v) bad = enum_match(v, value); if (!bad) o->n = value
#define UL_OPT_SET_G(n, lo, hi, v) \
	{ int s_ = *value ? ul_signal_parse(value) : 0; bad = s_ < 0; if (!bad) o->n = s_; }
#define UL_OPT_SET_P(n, lo, hi, v) bad = len >= PATH_MAX; if (!bad) o->n = value
#define UL_OPT_SET_S(n, lo, hi, v) bad = len > (size_t)(hi); if (!bad) o->n = value
#define UL_OPT_SET_C(n, lo, hi, v) bad = !items_fit(value, (size_t)(hi)); if (!bad) o->n = value
#define UL_OPT_SET_L(n, lo, hi, v) \
	if (!*value) { o->n##_count = 0; } \
	else if (len >= PATH_MAX) bad = -1; \
	else if (o->n##_count >= UL_MAX_LIST) bad = -2; \
	else o->n[o->n##_count++] = value
#include "options.def"
#undef OPT
	return -1;
done:
	if (bad) {
		char allowed[256];
		ul_option_allowed(d, allowed, sizeof allowed);
		if (bad == -2)
			snprintf(err, (size_t)errlen, "too many values for option '%s' (at most %d)", name,
				 UL_MAX_LIST);
		else
			snprintf(err, (size_t)errlen, "bad value '%.*s%s' for option '%s' (allowed: %s)",
				 len > 200 ? 200 : (int)len, value, len > 200 ? "..." : "", name, allowed);
		return -1;
	}
	return 0;
}

void ul_options_defaults(struct ul_options *o)
{
	char err[64];
	memset(o, 0, sizeof *o);
	for (int i = 0; i < ul_option_count; i++)
		if (ul_option_table[i].type != 'L')
			ul_option_set(o, ul_option_table[i].name, ul_option_table[i].def, err, sizeof err);
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static bool space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

/* The end of an unquoted value: white space, or a ':' that starts the
 * next NAME=, ends the string or precedes another separator, so values
 * such as "exit:3" or "/a:b" stay whole. */
static char *value_end(char *p)
{
	for (; *p; p++) {
		if (space(*p))
			return p;
		if (*p == ':') {
			if (!p[1] || p[1] == ':' || space(p[1]))
				return p; /* a doubled or trailing separator */
			char *q = p + 1;
			while (name_char(*q))
				q++;
			if (q > p + 1 && *q == '=')
				return p;
		}
	}
	return p;
}

int ul_options_parse(struct ul_options *o, char *s, char *err, int errlen)
{
	while (*s) {
		while (space(*s) || *s == ':')
			s++;
		if (!*s)
			break;
		char *name = s;
		while (name_char(*s))
			s++;
		if (*s != '=' || s == name) {
			int n = (int)strcspn(name, " \t\n:=");
			snprintf(err, (size_t)errlen, "option '%.*s' has no '=value'", n > 100 ? 100 : n, name);
			return -1;
		}
		*s++ = 0;
		char *val = s, *end;
		if (*s == '"' || *s == '\'') {
			char q = *s++, *w = val;
			while (*s && *s != q) {
				if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				*w++ = *s++;
			}
			if (!*s) {
				snprintf(err, (size_t)errlen, "option '%s': the value has no closing %c", name, q);
				return -1;
			}
			*w = 0;
			end = s + 1;
			if (*end && !space(*end) && *end != ':') {
				snprintf(err, (size_t)errlen, "option '%s': text after the closing %c", name, q);
				return -1;
			}
		} else {
			end = value_end(s);
		}
		char c = *end;
		*end = 0;
		if (ul_option_set(o, name, val, err, errlen))
			return -1;
		s = c ? end + 1 : end;
	}
	return 0;
}

int ul_option_encode(char *out, int len, const char *name, const char *value)
{
	int o = (int)strlen(out);
	o += snprintf(out + o, (size_t)(len > o ? len - o : 0), "%s%s=", o ? " " : "", name);
	bool quote = !*value || strpbrk(value, " \t\n:\"'\\") != NULL;
	if (quote && o < len)
		out[o++] = '"';
	for (const char *p = value; *p && o < len; p++) {
		if (quote && (*p == '"' || *p == '\\'))
			out[o++] = '\\';
		if (o < len)
			out[o++] = *p;
	}
	if (quote && o < len)
		out[o++] = '"';
	if (o >= len)
		return -1;
	out[o] = 0;
	return 0;
}
