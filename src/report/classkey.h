/* Stable class keys: a class named the same way by every process, and by
 * another build of the same binary, so lock orders can be combined across
 * runs (--graph-db) and reports get fingerprints. Never an absolute
 * address:
 *   s:prog!lock_a              a global, by its symbol
 *   i:libfoo.so!foo_init+0x1c  an init site, by function and offset
 *   u:prog!worker#2+0x40/1     first-use site; #2: the third symbol of that
 *                              name; /1: subclass 1
 *   s:prog@<build-id>+0x4010   no symbol: module build-id and offset
 *   i:prog!main+0x2a^          made through wrappers: named by its role site
 * The first letter is the class origin (s static, i init, u first use,
 * k key object). Modules are named by their file's base name. */
#ifndef UL_CLASSKEY_H
#define UL_CLASSKEY_H
#include "../core/core.h"

/* Write c's stable key; false if it has none (a heap key object). */
bool ul_class_stable_key(const struct ul_class *c, char *buf, size_t len);
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
