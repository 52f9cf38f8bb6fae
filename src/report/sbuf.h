/* Growable buffers for report output: text, JSON lines, the summary and
 * SARIF records have no fixed size. Memory comes from ul_map (never
 * malloc); when it runs out, the buffer keeps what it has and says so. */
#ifndef UL_SBUF_H
#define UL_SBUF_H
#include <stdarg.h>

#include "../os/os.h"

struct ul_sbuf {
	char *p;        /* NUL-terminated */
	size_t len, cap;
	char *initial;  /* caller's storage, used until it is outgrown */
	bool oom;       /* something was dropped: ul_sbuf_end() says so */
};

void ul_sbuf_init(struct ul_sbuf *b, char *initial, size_t cap);
void ul_sbuf_put(struct ul_sbuf *b, const char *s, size_t n);
void ul_sbuf_puts(struct ul_sbuf *b, const char *s);
void ul_sbuf_printf(struct ul_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ul_sbuf_vprintf(struct ul_sbuf *b, const char *fmt, va_list ap);
/* Text dropped for lack of memory gets one visible line at the end. */
void ul_sbuf_end(struct ul_sbuf *b);
/* Back to empty; keeps grown memory for the next use. */
void ul_sbuf_reset(struct ul_sbuf *b);
/* Grow an array of elem-sized items to hold need items (doubling); the
 * first array may be caller storage (inline), never unmapped. */
bool ul_array_grow(void **arr, uint32_t *cap, size_t elem, uint32_t need, const void *inline_arr);

#endif
