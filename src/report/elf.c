#define _GNU_SOURCE
#include "elf.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "../os/os.h"

bool ul_elf_symtab(const char *path, struct ul_elf_symtab *out)
{
	int fd = ul_open_read(path);
	if (fd < 0)
		return false;
	struct stat st;
	if (fstat(fd, &st) || st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
		ul_close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size;
	const char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	ul_close(fd);
	if (map == MAP_FAILED)
		return false;
	const ElfW(Ehdr) *eh = (const void *)map;
	const ElfW(Shdr) *sh = (const void *)(map + eh->e_shoff), *tab = NULL;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || !eh->e_shoff ||
	    eh->e_shoff + (size_t)eh->e_shnum * sizeof(ElfW(Shdr)) > size)
		goto bad;
	for (int i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB || (sh[i].sh_type == SHT_DYNSYM && !tab))
			tab = &sh[i];
	if (!tab || tab->sh_link >= eh->e_shnum || tab->sh_offset + tab->sh_size > size ||
	    sh[tab->sh_link].sh_offset + sh[tab->sh_link].sh_size > size)
		goto bad;
	out->syms = (const void *)(map + tab->sh_offset);
	out->nsyms = tab->sh_size / sizeof(ElfW(Sym));
	out->strs = map + sh[tab->sh_link].sh_offset;
	out->strsz = sh[tab->sh_link].sh_size;
	return true;
bad:
	ul_unmap((void *)map, size);
	return false;
}
