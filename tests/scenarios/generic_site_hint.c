/* unbound's pattern: one generic hash table (lruhash_create -> bin_init)
 * serves two caches; every bin lock is made at one site in bin_init, so
 * the two caches' locks are one class, and
 *     rrset bin -> key_lock   and   key_lock -> infra bin
 * is a cycle through that class. Kernel lockdep says the same. The report says
 * the class is made at one generic site and shows the fixes;
 * generic_class_depth.c applies one of them. */
// expect: circular bin_init key_lock
// stderr: locks made at one generic site
// stderr: --class-depth
#include "generic_site_prog.h"
