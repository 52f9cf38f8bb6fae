/* An ELF file's symbol table, read from the file itself. */
#ifndef UL_ELF_H
#define UL_ELF_H
#include <link.h>
#include <stdbool.h>
#include <stddef.h>

struct ul_elf_symtab {
	const ElfW(Sym) *syms; /* .symtab, else .dynsym */
	size_t nsyms;
	const char *strs;      /* its string table */
	size_t strsz;
};

/* Map path read-only and find its symbol table. The mapping is kept for
 * the life of the process (names point into it); false, with nothing kept,
 * if the file is not a well-formed ELF file with symbols. */
bool ul_elf_symtab(const char *path, struct ul_elf_symtab *out);

#endif
