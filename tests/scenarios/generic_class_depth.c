/* generic_site_hint.c with class_depth=3: a bin lock's class is keyed by
 * bin_init, lruhash_create and the cache's create function, so the rrset
 * and infra bins are two classes, and rrset bin -> key_lock with
 * key_lock -> infra bin is no cycle. */
// expect: none
// options: class_depth=3
#include "generic_site_prog.h"
