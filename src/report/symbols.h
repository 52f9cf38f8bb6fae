/* Symbolization: function and data names from ELF symbol tables read in
 * process, file:line from an external symbolizer (addr2line or
 * llvm-symbolizer) run out of process. Reporting paths only. */
#ifndef UL_SYMBOLS_H
#define UL_SYMBOLS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ul_sym {
	const char *name;   /* NULL if unknown */
	uintptr_t off, size;
	const char *module; /* short module name */
	const char *path;   /* module path usable by a symbolizer */
	uintptr_t base;
	int is_main;
};

int ul_sym_lookup(uintptr_t addr, struct ul_sym *out);
/* Resolve file:line for many return addresses at once (one symbolizer run
 * per module); later calls to ul_sym_fileline hit the cache. */
void ul_sym_prefetch(const uintptr_t *ips, int n);
const char *ul_sym_fileline(uintptr_t ip); /* "file.c:42" or NULL */
void ul_sym_data_name(uintptr_t addr, char *buf, size_t len);  /* "lock_a", "forks+0x28" */
void ul_sym_site_name(uintptr_t ip, char *buf, size_t len);    /* "f+0x1c (f.c:42)" */
void ul_sym_frame(uintptr_t ip, char *buf, size_t len);        /* "f+0x1c/0x80 (f.c:42)" */
void ul_sym_frame_lines(uintptr_t ip, char *buf, size_t len); /* with inlined callees */
/* Every function at ip: inlined callees first, then the symbol. */
int ul_sym_funcs(uintptr_t ip, char (*names)[128], int max);
void ul_sym_func(uintptr_t ip, char *buf, size_t len);         /* "f" */
void ul_sym_init(void);
/* Demangle a C++ symbol into buf; false if it is not one (or no demangler). */
bool ul_sym_demangle(const char *name, char *buf, size_t len);

/* From a CLONE_VM child with exit signal 0: run argv in a grandchild with
 * fds 0-2 set, wait for it, and return its status for the child to end
 * with; the program never sees a child end (docs/design.md). */
int ul_exec_hidden(char *const argv[], char *const envp[], int fd0, int fd1, int fd2);

#endif
