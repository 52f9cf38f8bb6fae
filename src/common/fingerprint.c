/* See fingerprint.h. Insertion sort: n is small, and the runtime must not
 * call qsort (it may allocate through the program's malloc). */
#include "fingerprint.h"

#include <stdio.h>
#include <string.h>

void ul_fp_key_of_stored(const char *key, char *out, size_t len)
{
	size_t m = strlen(key) > 2 && key[1] == ':' ? strcspn(key + 2, "!@") : 0;
	if (!m || !key[2 + m]) {
		snprintf(out, len, "%s", key);
		return;
	}
	const char *mod = key + 2, *end = mod + m, *base = end;
	while (base > mod && base[-1] != '/')
		base--;
	const char *p = end, *bang = NULL;
	for (const char *q = end; *q && !bang; q++)
		if (*q == '!')
			bang = q;
	const char *tail = p + strcspn(p, "^/");
	if (bang) {
		size_t n = strcspn(bang + 1, "#+^/");
		snprintf(out, len, "%c:%.*s!%.*s%s", key[0], (int)(end - base), base, (int)n, bang + 1, tail);
	} else {
		const char *plus = strchr(p, '+');
		size_t n = plus ? strcspn(plus, "^/") : 0;
		snprintf(out, len, "%c:%.*s%.*s%s", key[0], (int)(end - base), base, (int)n, plus ? plus : "", tail);
	}
}

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

uint64_t ul_fingerprint(const char *kind, const char **keys, int n, char out[17])
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
			const char *t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	uint64_t h = fnv(1469598103934665603ULL, kind);
	for (int i = 0; i < n; i++) {
		if (i && !strcmp(keys[i], keys[i - 1]))
			continue; /* an instance cycle repeats its class */
		h = fnv(h, "\n");
		h = fnv(h, keys[i]);
	}
	h |= 1; /* never 0: 0 means "none" */
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++)
		out[i] = hex[(h >> (60 - 4 * i)) & 15];
	out[16] = 0;
	return h;
}

uint64_t ul_fingerprint_parse(const char *s)
{
	uint64_t h = 0;
	for (int i = 0; i < 16; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return 0;
		h = h << 4 | (uint64_t)d;
	}
	char c = s[16];
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ? 0 : h;
}
