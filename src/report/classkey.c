/* Stable class keys (see classkey.h). The module table comes from
 * dl_iterate_phdr at start, exit and on a miss in a report or history
 * path (no runtime lock held inside the loader's); symbols come from each module's file, sorted once by address and
 * hashed by name. Nothing here runs per acquisition. */
#define _GNU_SOURCE
#include "elf.h"
#include "classkey.h"

#include <elf.h>
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct cksym {
	uintptr_t value, size;
	uint32_t name;     /* offset in strs */
	uint32_t ord;      /* how many symbols of this name come before it */
	uint32_t prev;     /* index+1 of the previous one of this name */
};

struct ckmod {
	char name[128];
	char path[512];
	char build_id[41];
	uintptr_t base;
	struct { uintptr_t lo, hi; } seg[8];
	int nseg;
	bool loaded;
	struct cksym *syms; /* by address */
	uint32_t nsyms;
	const char *strs;
	size_t strsz;
	uint32_t *byname;   /* index+1 of the last symbol of a name */
	uint32_t hcap;
};

#define MAX_MODS 256
static struct ckmod mods[MAX_MODS];
static int nmods;
UL_STATIC_MUTEX(ck_lock);

static uint64_t strhash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void build_id_of(struct dl_phdr_info *info, char *out)
{
	out[0] = 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_NOTE)
			continue;
		const char *p = (const char *)(info->dlpi_addr + ph->p_vaddr), *end = p + ph->p_memsz;
		while (p + sizeof(ElfW(Nhdr)) <= end) {
			const ElfW(Nhdr) *n = (const void *)p;
			const char *name = p + sizeof *n;
			const unsigned char *desc = (const unsigned char *)name + ((n->n_namesz + 3) & ~3u);
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && !memcmp(name, "GNU", 4)) {
				size_t k = n->n_descsz > 20 ? 20 : n->n_descsz;
				for (size_t j = 0; j < k; j++)
					snprintf(out + 2 * j, 3, "%02x", desc[j]);
				return;
			}
			p = (const char *)desc + ((n->n_descsz + 3) & ~3u);
		}
	}
}

struct staging {
	struct ckmod *m;
	int n;
};

/* Runs under the loader's lock: fills the caller's staging array only, so
 * no runtime lock is ever taken inside the loader's. */
static int note_module(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct staging *st = arg;
	bool is_main = !info->dlpi_name || !info->dlpi_name[0];
	const char *path = info->dlpi_name;
	char exe[512];
	if (is_main) {
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = 0;
		path = exe;
	}
	if (!path[0] || !strncmp(path, "linux-vdso", 10))
		return 0;
	if (st->n >= MAX_MODS)
		return 1;
	struct ckmod *m = &st->m[st->n];
	memset(m, 0, sizeof *m);
	snprintf(m->path, sizeof m->path, "%s", path);
	const char *slash = strrchr(path, '/');
	snprintf(m->name, sizeof m->name, "%.127s", slash ? slash + 1 : path);
	m->base = info->dlpi_addr;
	for (int i = 0; i < info->dlpi_phnum && m->nseg < 8; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD) {
			m->seg[m->nseg].lo = info->dlpi_addr + ph->p_vaddr;
			m->seg[m->nseg].hi = m->seg[m->nseg].lo + ph->p_memsz;
			m->nseg++;
		}
	}
	build_id_of(info, m->build_id);
	st->n++;
	return 0;
}

void ul_ck_refresh(void)
{
	struct staging st = { ul_map(MAX_MODS * sizeof(struct ckmod)), 0 };
	if (!st.m)
		return;
	dl_iterate_phdr(note_module, &st);
	ul_mutex_lock(&ck_lock);
	for (int k = 0; k < st.n; k++) {
		int i = 0;
		while (i < nmods && mods[i].base != st.m[k].base)
			i++;
		if (i < nmods && !strcmp(mods[i].path, st.m[k].path))
			continue; /* known */
		if (i < nmods) /* another module at an unloaded one's place */
			mods[i] = st.m[k];
		else if (nmods < MAX_MODS)
			mods[nmods++] = st.m[k];
	}
	ul_mutex_unlock(&ck_lock);
	ul_unmap(st.m, MAX_MODS * sizeof(struct ckmod));
}

int ul_ck_nmodules(void)
{
	return nmods;
}

bool ul_ck_module(int i, const char **name, const char **build_id, const char **path)
{
	if (i < 0 || i >= nmods)
		return false;
	*name = mods[i].name;
	*build_id = mods[i].build_id;
	*path = mods[i].path;
	return true;
}

/* In-place heap sort by address (qsort may allocate through the program's
 * malloc). */
static void sift(struct cksym *a, size_t i, size_t n)
{
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			return;
		if (c + 1 < n && a[c + 1].value > a[c].value)
			c++;
		if (a[i].value >= a[c].value)
			return;
		struct cksym t = a[i];
		a[i] = a[c];
		a[c] = t;
		i = c;
	}
}

static void sort_syms(struct cksym *a, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(a, i, n);
	for (size_t end = n; end-- > 1;) {
		struct cksym t = a[0];
		a[0] = a[end];
		a[end] = t;
		sift(a, 0, end);
	}
}

static uint32_t *name_slot(struct ckmod *m, const char *name)
{
	uint64_t h = strhash(name);
	for (uint32_t i = (uint32_t)h & (m->hcap - 1);; i = (i + 1) & (m->hcap - 1)) {
		uint32_t k = m->byname[i];
		if (!k || !strcmp(m->strs + m->syms[k - 1].name, name))
			return &m->byname[i];
	}
}

static void load_syms(struct ckmod *m)
{
	m->loaded = true;
	struct ul_elf_symtab st;
	if (!ul_elf_symtab(m->path, &st))
		return;
	const ElfW(Sym) *s = st.syms;
	size_t n = st.nsyms;
	m->strs = st.strs;
	m->strsz = st.strsz;
	m->syms = ul_map((n + 1) * sizeof *m->syms);
	if (!m->syms)
		return;
	uint32_t k = 0;
	for (size_t i = 0; i < n; i++) {
		int t = ELF64_ST_TYPE(s[i].st_info);
		if (s[i].st_shndx == SHN_UNDEF || !s[i].st_name || s[i].st_name >= m->strsz ||
		    (t != STT_FUNC && t != STT_OBJECT && t != STT_GNU_IFUNC))
			continue;
		m->syms[k++] = (struct cksym){ s[i].st_value, s[i].st_size, s[i].st_name, 0, 0 };
	}
	sort_syms(m->syms, k);
	/* drop aliases: one symbol per address and name */
	uint32_t w = 0;
	for (uint32_t i = 0; i < k; i++)
		if (!w || m->syms[w - 1].value != m->syms[i].value ||
		    strcmp(m->strs + m->syms[w - 1].name, m->strs + m->syms[i].name))
			m->syms[w++] = m->syms[i];
	m->nsyms = w;
	m->hcap = 16;
	while (m->hcap < 2 * w)
		m->hcap *= 2;
	m->byname = ul_map(m->hcap * sizeof *m->byname);
	if (!m->byname) {
		m->nsyms = 0;
		return;
	}
	for (uint32_t i = 0; i < w; i++) {
		uint32_t *slot = name_slot(m, m->strs + m->syms[i].name);
		if (*slot) {
			m->syms[i].prev = *slot;
			m->syms[i].ord = m->syms[*slot - 1].ord + 1;
		}
		*slot = i + 1;
	}
}

static struct ckmod *module_at(uintptr_t a)
{
	for (int i = 0; i < nmods; i++)
		for (int s = 0; s < mods[i].nseg; s++)
			if (a >= mods[i].seg[s].lo && a < mods[i].seg[s].hi)
				return &mods[i];
	return NULL;
}

/* The innermost symbol covering a (module-relative address rel). */
static const struct cksym *sym_at(struct ckmod *m, uintptr_t rel)
{
	if (!m->loaded)
		load_syms(m);
	uint32_t lo = 0, hi = m->nsyms;
	while (lo < hi) { /* first symbol above rel */
		uint32_t mid = (lo + hi) / 2;
		if (m->syms[mid].value <= rel)
			lo = mid + 1;
		else
			hi = mid;
	}
	const struct cksym *best = NULL;
	for (uint32_t i = lo; i-- > 0 && lo - i <= 64;) {
		const struct cksym *s = &m->syms[i];
		if (rel < s->value + (s->size ? s->size : 1) && (!best || s->size < best->size))
			best = s;
	}
	return best;
}

static const char origins[] = "siuk";

/* A module's path can name it in a key: absolute, and without the key's
 * separators. */
static bool keyable_path(const char *p)
{
	return p[0] == '/' && !strpbrk(p, "!@\t\n");
}

/* fp: the fingerprint form (module base name, symbol name, no offset nor
 * build-id: survives edits); else the stored form (docs/graph-db.md):
 *   o:PATH!sym[^][/sub]                   a whole symbol of a unique name
 *   o:PATH@BUILDID!sym[#ord][+off][^][/sub] anything else: one build only
 *   o:PATH@BUILDID+off[^][/sub]           no symbol */
static bool class_key(const struct ul_class *c, char *buf, size_t len, bool fp)
{
	if (!c || c->origin > UL_ORIGIN_KEY)
		return false;
	/* a site serving several callers: its classes are keyed by the caller
	 * too, and the site alone would merge them in the graph database */
	if (c->split || atomic_load(&c->shared))
		return false;
	/* a first-use class is whichever lock a run happens to take first at a
	 * site: another run may give that key to another lock */
	if (!fp && c->origin == UL_ORIGIN_FIRST_USE)
		return false;
	uintptr_t a = c->key;
	/* a code site is looked up at the call instruction, not after it */
	bool site = c->origin == UL_ORIGIN_INIT || c->origin == UL_ORIGIN_FIRST_USE;
	/* made through wrappers: the key hashes the frames up to the role site,
	 * which names it ("^"); with --class-depth > 1 deeper frames count too,
	 * and the site alone would merge classes */
	bool via = site && c->key != c->site;
	if (via && ul_rt.policy.class_depth > 1 && !fp)
		return false;
	if (via)
		a = c->site;
	ul_mutex_lock(&ck_lock);
	struct ckmod *m = module_at(a);
	if (!m) {
		ul_mutex_unlock(&ck_lock);
		ul_ck_refresh();
		ul_mutex_lock(&ck_lock);
		m = module_at(a);
	}
	bool ok = m && (fp || keyable_path(m->path));
	if (ok) {
		char sub[8] = "", tail[16];
		if (c->subclass)
			snprintf(sub, sizeof sub, "/%u", c->subclass);
		snprintf(tail, sizeof tail, "%s%s", via ? "^" : "", sub);
		const struct cksym *s = sym_at(m, a - m->base - site);
		uintptr_t off = s ? a - m->base - s->value : a - m->base;
		/* a duplicate name: its ordinal follows symbol-table order */
		bool dup = s && (s->ord || m->syms[*name_slot(m, m->strs + s->name) - 1].ord);
		bool bound = !s || off || dup || site;
		if (fp && s)
			snprintf(buf, len, "%c:%s!%s%s", origins[c->origin], m->name, m->strs + s->name, tail);
		else if (fp)
			snprintf(buf, len, "%c:%s+%#lx%s", origins[c->origin], m->name, (unsigned long)off, tail);
		else if (bound && !m->build_id[0])
			ok = false; /* offsets and ordinals hold for one build only */
		else if (!bound)
			snprintf(buf, len, "%c:%s!%s%s", origins[c->origin], m->path, m->strs + s->name, tail);
		else if (s) {
			char ord[16] = "", o[24] = "";
			if (s->ord)
				snprintf(ord, sizeof ord, "#%u", s->ord);
			if (off)
				snprintf(o, sizeof o, "+%#lx", (unsigned long)off);
			snprintf(buf, len, "%c:%s@%s!%s%s%s%s", origins[c->origin], m->path, m->build_id,
				 m->strs + s->name, ord, o, tail);
		} else {
			snprintf(buf, len, "%c:%s@%s+%#lx%s", origins[c->origin], m->path, m->build_id,
				 (unsigned long)off, tail);
		}
	}
	ul_mutex_unlock(&ck_lock);
	return ok;
}

bool ul_class_stable_key(const struct ul_class *c, char *buf, size_t len)
{
	return class_key(c, buf, len, false);
}

bool ul_class_fp_key(const struct ul_class *c, char *buf, size_t len)
{
	return class_key(c, buf, len, true);
}

bool ul_ck_module_of_key(const char *key, char *mod, size_t len)
{
	if (strlen(key) < 3 || key[1] != ':')
		return false;
	size_t n = strcspn(key + 2, "!@");
	if (!key[2 + n] || n >= len)
		return false;
	memcpy(mod, key + 2, n);
	mod[n] = 0;
	return true;
}

bool ul_ck_resolve(const char *key, uint8_t *origin, uintptr_t *addr, uint8_t *subclass, bool *via)
{
	const char *o = strchr(origins, key[0]);
	char mod[512], bid[64] = "";
	if (!key[0] || !o || !ul_ck_module_of_key(key, mod, sizeof mod) || !keyable_path(mod))
		return false;
	*origin = (uint8_t)(o - origins);
	if (*origin == UL_ORIGIN_FIRST_USE)
		return false;
	const char *p = key + 2 + strlen(mod);
	bool bound = *p == '@';
	if (bound) {
		size_t n = strcspn(++p, "!+^/");
		if (!n || n >= sizeof bid)
			return false;
		memcpy(bid, p, n);
		bid[n] = 0;
		p += n;
	}
	bool named = *p == '!';
	if (named)
		p++;
	/* name, then #ord, +off, ^, /sub */
	char name[512] = "";
	size_t n = named ? strcspn(p, "#+^/") : 0;
	if (n >= sizeof name || (named && !n))
		return false;
	memcpy(name, p, n);
	name[n] = 0;
	p += n;
	unsigned long ord = 0, off = 0, sub = 0;
	if (*p == '#')
		ord = strtoul(p + 1, (char **)&p, 10);
	if (*p == '+')
		off = strtoul(p + 1, (char **)&p, 16);
	*via = *p == '^';
	if (*via)
		p++;
	if (*p == '/')
		sub = strtoul(p + 1, (char **)&p, 10);
	if (*p || sub >= UL_MAX_SUBCLASS || (!bound && (ord || off || !named)))
		return false;
	*subclass = (uint8_t)sub;
	bool ok = false;
	ul_mutex_lock(&ck_lock);
	for (int i = 0; i < nmods && !ok; i++) {
		struct ckmod *m = &mods[i];
		if (strcmp(m->path, mod) || (bound && strcmp(bid, m->build_id)))
			continue;
		if (!named) {
			*addr = m->base + off;
			ok = true;
			break;
		}
		if (!m->loaded)
			load_syms(m);
		if (!m->nsyms)
			continue;
		uint32_t k = *name_slot(m, name);
		/* unbound: the name must be unique in this build too */
		if (!k || (!bound && m->syms[k - 1].ord))
			continue;
		while (k && m->syms[k - 1].ord != ord)
			k = m->syms[k - 1].prev;
		if (!k)
			continue;
		const struct cksym *s = &m->syms[k - 1];
		/* the symbol must still cover the offset; a call site's return
		 * address may be just past a function's end */
		bool site = *origin == UL_ORIGIN_INIT || *origin == UL_ORIGIN_FIRST_USE;
		if (off && off >= s->size + site)
			continue;
		*addr = m->base + s->value + off;
		ok = true;
	}
	ul_mutex_unlock(&ck_lock);
	return ok;
}
