#define _GNU_SOURCE
#include "sbuf.h"

#include <stdio.h>
#include <string.h>

static const char oom_note[] = "\n[ulockdep: report cut short: out of memory]\n";

void ul_sbuf_init(struct ul_sbuf *b, char *initial, size_t cap)
{
	b->p = b->initial = initial;
	b->cap = cap;
	b->len = 0;
	b->oom = false;
	b->p[0] = 0;
}

void ul_sbuf_reset(struct ul_sbuf *b)
{
	b->len = 0;
	b->oom = false;
	b->p[0] = 0;
}

/* Room for n more bytes, the NUL and the out-of-memory note. */
static bool reserve(struct ul_sbuf *b, size_t n)
{
	size_t need = b->len + n + sizeof oom_note;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap * 2;
	while (cap < need)
		cap *= 2;
	char *np = ul_map(cap);
	if (!np) {
		b->oom = true;
		return false;
	}
	memcpy(np, b->p, b->len + 1);
	if (b->p != b->initial)
		ul_unmap(b->p, b->cap);
	b->p = np;
	b->cap = cap;
	return true;
}

void ul_sbuf_put(struct ul_sbuf *b, const char *s, size_t n)
{
	if (b->oom || !reserve(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
}

void ul_sbuf_puts(struct ul_sbuf *b, const char *s)
{
	ul_sbuf_put(b, s, strlen(s));
}

void ul_sbuf_vprintf(struct ul_sbuf *b, const char *fmt, va_list ap)
{
	if (b->oom)
		return;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(b->p + b->len, b->cap - b->len - sizeof oom_note, fmt, ap);
	if (n >= 0 && (size_t)n >= b->cap - b->len - sizeof oom_note) {
		b->p[b->len] = 0;
		if (reserve(b, (size_t)n))
			n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap2);
		else
			n = -1;
	}
	va_end(ap2);
	if (n > 0)
		b->len += (size_t)n;
	b->p[b->len] = 0;
}

void ul_sbuf_printf(struct ul_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ul_sbuf_vprintf(b, fmt, ap);
	va_end(ap);
}

void ul_sbuf_end(struct ul_sbuf *b)
{
	if (!b->oom)
		return;
	/* reserve() always left room for the note */
	memcpy(b->p + b->len, oom_note, sizeof oom_note);
	b->len += sizeof oom_note - 1;
	b->oom = false;
}

bool ul_array_grow(void **arr, uint32_t *cap, size_t elem, uint32_t need, const void *inline_arr)
{
	if (need <= *cap)
		return true;
	uint32_t ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	void *n = ul_map((size_t)ncap * elem);
	if (!n)
		return false;
	memcpy(n, *arr, (size_t)*cap * elem);
	if (*arr != inline_arr)
		ul_unmap(*arr, (size_t)*cap * elem);
	*arr = n;
	*cap = ncap;
	return true;
}
