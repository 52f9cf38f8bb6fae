/* The age-out rule needs to know whether a stable class key
 * (src/report/classkey.h) still names something in a rebuilt module: the
 * symbol of that name and ordinal exists and still covers the offset. */
#define _GNU_SOURCE
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

struct esym {
	uint64_t value, size;
	const char *name;
};

struct elf_syms {
	const char *map;
	size_t len;
	struct esym *s;
	size_t n;
};

static int by_name_addr(const void *a, const void *b)
{
	const struct esym *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->value > y->value) - (x->value < y->value);
}

struct elf_syms *elf_syms_load(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(ElfW(Ehdr))) {
		close(fd);
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	const char *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	const ElfW(Ehdr) *eh = (const void *)map;
	const ElfW(Shdr) *sh = (const void *)(map + eh->e_shoff), *tab = NULL;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) || !eh->e_shoff || eh->e_shoff + eh->e_shnum * sizeof *sh > len)
		goto bad;
	for (int i = 0; i < eh->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB || (sh[i].sh_type == SHT_DYNSYM && !tab))
			tab = &sh[i];
	if (!tab || tab->sh_link >= eh->e_shnum || tab->sh_offset + tab->sh_size > len ||
	    sh[tab->sh_link].sh_offset + sh[tab->sh_link].sh_size > len)
		goto bad;
	struct elf_syms *r = calloc(1, sizeof *r);
	const ElfW(Sym) *sym = (const void *)(map + tab->sh_offset);
	size_t n = tab->sh_size / sizeof *sym, strsz = sh[tab->sh_link].sh_size;
	const char *strs = map + sh[tab->sh_link].sh_offset;
	if (!r || !(r->s = calloc(n + 1, sizeof *r->s)))
		exit(1);
	r->map = map;
	r->len = len;
	for (size_t i = 0; i < n; i++) {
		int t = ELF64_ST_TYPE(sym[i].st_info);
		if (sym[i].st_shndx == SHN_UNDEF || !sym[i].st_name || sym[i].st_name >= strsz ||
		    (t != STT_FUNC && t != STT_OBJECT && t != STT_GNU_IFUNC))
			continue;
		r->s[r->n++] = (struct esym){ sym[i].st_value, sym[i].st_size, strs + sym[i].st_name };
	}
	qsort(r->s, r->n, sizeof *r->s, by_name_addr);
	/* one entry per name and address, as the runtime counts them */
	size_t w = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!w || by_name_addr(&r->s[w - 1], &r->s[i]))
			r->s[w++] = r->s[i];
	r->n = w;
	return r;
bad:
	munmap((void *)map, len);
	return NULL;
}

bool elf_key_exists(const struct elf_syms *s, const char *key)
{
	/* o:PATH!name[^][/sub] survives while the name is unique; a key bound
	 * to a build (o:PATH@build-id...) names a place in that build only */
	const char *bang = strchr(key, '!'), *at = strchr(key, '@');
	if (!s || strlen(key) < 3 || key[1] != ':' || !bang || (at && at < bang))
		return false;
	char name[512];
	size_t n = strcspn(bang + 1, "#+^/");
	if (n >= sizeof name || bang[1 + n] == '#' || bang[1 + n] == '+')
		return false;
	memcpy(name, bang + 1, n);
	name[n] = 0;
	size_t lo = 0, hi = s->n;
	while (lo < hi) { /* first entry of this name */
		size_t mid = (lo + hi) / 2;
		if (strcmp(s->s[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && !strcmp(s->s[lo].name, name) && (lo + 1 == s->n || strcmp(s->s[lo + 1].name, name));
}

void elf_syms_free(struct elf_syms *s)
{
	if (!s)
		return;
	munmap((void *)s->map, s->len);
	free(s->s);
	free(s);
}
