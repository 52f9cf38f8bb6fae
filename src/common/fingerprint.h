/* Report fingerprints: a hash of the report kind and the stable keys of
 * its lock classes, independent of addresses, pids and the order the
 * classes were met in. The runtime and `ulockdep db check` compute the same
 * value for the same problem, so a baseline works for both. */
#ifndef UL_FINGERPRINT_H
#define UL_FINGERPRINT_H
#include <stdint.h>

/* keys: n strings (reordered in place); out: 16 hex digits and a NUL. */
uint64_t ul_fingerprint(const char *kind, const char **keys, int n, char out[17]);
/* Parse 16 hex digits; 0 if s does not start with them. */
uint64_t ul_fingerprint_parse(const char *s);

#endif
