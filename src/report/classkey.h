/* Stable class keys: a class named the same way by every process (and,
 * for a whole symbol of a unique name, by every build of the same file), so
 * lock orders can be combined across runs (--graph-db). Never an absolute
 * address. Modules are named by their absolute path:
 *   s:/bin/prog!lock_a                    a global, by its unique symbol
 *   i:/lib/libfoo.so@<build-id>!foo_init+0x1c   an init site: this build only
 *   s:/bin/prog@<build-id>!table#1+0x28   a duplicate name or an offset:
 *                                         this build only
 *   s:/bin/prog@<build-id>+0x4010         no symbol
 *   ...^  made through wrappers: named by its role site;  .../1  subclass 1
 * The first letter is the class origin (s static, i init, k key object).
 * First-use classes (u) and modules without a build-id (for the keys bound
 * to one) have no stored key. Fingerprints use ul_class_fp_key. */
#ifndef UL_CLASSKEY_H
#define UL_CLASSKEY_H
#include "../core/core.h"

/* Write c's stable key; false if it has none (a heap key object). */
bool ul_class_stable_key(const struct ul_class *c, char *buf, size_t len);
/* The fingerprint form: origin, module base name, symbol name (no offset,
 * ordinal or build-id, so it survives edits); for every class with a
 * module, first-use ones included. */
bool ul_class_fp_key(const struct ul_class *c, char *buf, size_t len);
/* The module part of a key and its build id, for the age-out rule. */
bool ul_ck_module_of_key(const char *key, char *mod, size_t len);
/* Resolve a key back to this process's origin, address and subclass;
 * via: the address is a role site (the class was made through wrappers).
 * Returns false when the module is not loaded or the symbol is gone. */
bool ul_ck_resolve(const char *key, uint8_t *origin, uintptr_t *addr, uint8_t *subclass, bool *via);
/* Re-read the loaded modules (dl_iterate_phdr: init, exit, report paths
 * only, never per acquisition). */
void ul_ck_refresh(void);
/* Loaded modules: name, build id (hex, "" if none), path. */
int ul_ck_nmodules(void);
bool ul_ck_module(int i, const char **name, const char **build_id, const char **path);

#endif
