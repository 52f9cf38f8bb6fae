/* The shared libraries a program names (DT_NEEDED), read from its ELF
 * file: the launcher puts a sanitizer runtime the program needs ahead of
 * ulockdep's own in LD_PRELOAD, as that runtime insists on coming first. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "needed.h"

/* The file execvp() would run for name: itself when it has a '/'. */
static bool find_program(const char *name, char *out, size_t len)
{
	if (strchr(name, '/'))
		return snprintf(out, len, "%s", name) < (int)len;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (snprintf(out, len, "%.*s%s%s", (int)n, path, n ? "/" : "", name) < (int)len &&
		    access(out, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* File offset of virtual address a, through the PT_LOAD headers. */
static bool to_offset(const Elf64_Phdr *ph, int n, uint64_t a, uint64_t *off)
{
	for (int i = 0; i < n; i++)
		if (ph[i].p_type == PT_LOAD && a >= ph[i].p_vaddr && a - ph[i].p_vaddr < ph[i].p_filesz) {
			*off = a - ph[i].p_vaddr + ph[i].p_offset;
			return true;
		}
	return false;
}

bool program_needs(const char *program, const char *prefix, char *out, size_t len)
{
	char path[4096];
	if (!find_program(program, path, sizeof path))
		return false;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(Elf64_Ehdr)) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	size_t size = (size_t)st.st_size;
	const unsigned char *f = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		return false;
	bool found = false;
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_phentsize != sizeof(Elf64_Phdr) || eh->e_phoff > size ||
	    (size - eh->e_phoff) / sizeof(Elf64_Phdr) < eh->e_phnum)
		goto out;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(f + eh->e_phoff);
	for (int i = 0; i < eh->e_phnum; i++) {
		if (ph[i].p_type != PT_DYNAMIC || ph[i].p_offset > size || ph[i].p_filesz > size - ph[i].p_offset)
			continue;
		const Elf64_Dyn *d = (const Elf64_Dyn *)(f + ph[i].p_offset);
		size_t nd = ph[i].p_filesz / sizeof *d;
		uint64_t strtab = 0, stroff;
		for (size_t k = 0; k < nd && d[k].d_tag != DT_NULL; k++)
			if (d[k].d_tag == DT_STRTAB)
				strtab = d[k].d_un.d_ptr;
		if (!strtab || !to_offset(ph, eh->e_phnum, strtab, &stroff) || stroff >= size)
			break;
		for (size_t k = 0; k < nd && d[k].d_tag != DT_NULL && !found; k++) {
			if (d[k].d_tag != DT_NEEDED || d[k].d_un.d_val >= size - stroff)
				continue;
			const char *s = (const char *)f + stroff + d[k].d_un.d_val;
			size_t room = size - stroff - d[k].d_un.d_val, n = strnlen(s, room);
			if (n < room && !strncmp(s, prefix, strlen(prefix)) && n < len) {
				memcpy(out, s, n + 1);
				found = true;
			}
		}
		break;
	}
out:
	munmap((void *)f, size);
	return found;
}
