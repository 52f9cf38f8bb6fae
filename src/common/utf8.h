/* UTF-8 checks for every JSON, DOT and HTML writer, the runtime's and the
 * launcher's. A byte that is not part of valid UTF-8 is written as the
 * text \xHH. */
#ifndef UL_UTF8_H
#define UL_UTF8_H
#include <stddef.h>

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if invalid. */
static inline size_t ul_utf8_len(const unsigned char *s)
{
	unsigned char c = s[0];
	size_t n;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4;
	else
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] >= 0xa0) || (c == 0xf0 && s[1] < 0x90) ||
	    (c == 0xf4 && s[1] >= 0x90))
		return 0; /* overlong, surrogate, or past U+10FFFF */
	return n;
}

#endif
