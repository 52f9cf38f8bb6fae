/* Report fingerprints: a hash of the report kind and the stable keys of
 * its lock classes, independent of addresses, pids and the order the
 * classes were met in. The runtime and `ulockdep db check` compute the same
 * value for the same problem, so a baseline works for both. */
#ifndef UL_FINGERPRINT_H
#define UL_FINGERPRINT_H
#include <stddef.h>
#include <stdint.h>

/* keys: n strings (reordered in place); out: 16 hex digits and a NUL. */
uint64_t ul_fingerprint(const char *kind, const char **keys, int n, char out[17]);
/* The fingerprint form of a stored class key (classkey.h): origin, module
 * base name, symbol name or offset, ^ and subclass; no build-id, ordinal
 * or offset inside a symbol, so edits elsewhere do not change it. */
void ul_fp_key_of_stored(const char *key, char *out, size_t len);
/* Parse 16 hex digits; 0 if s does not start with them. */
uint64_t ul_fingerprint_parse(const char *s);

#endif
