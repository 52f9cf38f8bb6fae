#define _GNU_SOURCE
#include "elf.h"
#include "symbols.h"

#include <dlfcn.h>
#include <errno.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/core.h"
#include "output.h"

struct module {
	char path[512];
	uintptr_t base;
	const ElfW(Sym) *syms;
	size_t nsyms;
	const char *strs;
	size_t strsz;
	int is_main;
};

#define MAX_MODULES 128
static struct module mods[MAX_MODULES];
static int nmods;
UL_STATIC_MUTEX(sym_lock);
static char symbolizer_path[512];
static struct ul_htab lines; /* ip -> const char * */

extern char **environ;

static void load_symtab(struct module *m)
{
	struct ul_elf_symtab st;
	if (!ul_elf_symtab(m->is_main ? "/proc/self/exe" : m->path, &st))
		return;
	m->syms = st.syms;
	m->nsyms = st.nsyms;
	m->strs = st.strs;
	m->strsz = st.strsz;
}

struct phdr_hit {
	uintptr_t addr, base;
	const char *name;
	bool found;
};

static int find_phdr(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	struct phdr_hit *h = arg;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;
		if (ph->p_type == PT_LOAD && h->addr >= lo && h->addr < lo + ph->p_memsz) {
			h->base = info->dlpi_addr;
			h->name = info->dlpi_name;
			h->found = true;
			return 1;
		}
	}
	return 0;
}

static struct module *module_of(uintptr_t addr)
{
	uintptr_t base;
	const char *lname;
	/* lock-free (never the loader's lock): this runs on lock paths */
	if (!ul_module_of((const void *)addr, &base, &lname)) {
#ifndef UL_WRAP_MODE
		return NULL;
#endif
		/* a static binary: the program headers are there */
		struct phdr_hit h = { addr, 0, NULL, false };
		dl_iterate_phdr(find_phdr, &h);
		if (!h.found)
			return NULL;
		base = h.base;
		lname = h.name;
	}
	int is_main = !lname || !lname[0];
	const char *name = is_main ? "" : lname;
	for (int i = 0; i < nmods; i++)
		if (mods[i].base == base && mods[i].is_main == is_main &&
		    (is_main || !strcmp(mods[i].path, name)))
			return &mods[i];
	if (nmods >= MAX_MODULES)
		return NULL;
	struct module *m = &mods[nmods];
	memset(m, 0, sizeof *m);
	m->base = base;
	m->is_main = is_main;
	if (is_main) {
		ssize_t n = readlink("/proc/self/exe", m->path, sizeof m->path - 1);
		m->path[n > 0 ? n : 0] = 0;
	} else {
		snprintf(m->path, sizeof m->path, "%s", name);
	}
	load_symtab(m);
	nmods++;
	return m;
}

int ul_sym_lookup(uintptr_t addr, struct ul_sym *out)
{
	memset(out, 0, sizeof *out);
	ul_mutex_lock(&sym_lock);
	struct module *m = module_of(addr);
	if (!m) {
		ul_mutex_unlock(&sym_lock);
		return -1;
	}
	const char *slash = strrchr(m->path, '/');
	out->module = slash ? slash + 1 : m->path;
	out->path = m->path;
	out->base = m->base;
	out->is_main = m->is_main;
	const ElfW(Sym) *hit = NULL;
	for (size_t i = 0; i < m->nsyms; i++) {
		const ElfW(Sym) *s = &m->syms[i];
		int t = ELF64_ST_TYPE(s->st_info);
		if (s->st_shndx == SHN_UNDEF || s->st_name == 0 || s->st_name >= m->strsz ||
		    (t != STT_FUNC && t != STT_OBJECT && t != STT_NOTYPE && t != STT_TLS &&
		     t != STT_GNU_IFUNC))
			continue;
		uintptr_t lo = m->base + s->st_value;
		if (addr < lo || addr >= lo + (s->st_size ? s->st_size : 1))
			continue;
		if (!hit || (s->st_size && s->st_size < hit->st_size) || !hit->st_size)
			hit = s;
	}
	if (hit) {
		out->name = m->strs + hit->st_name;
		out->off = addr - (m->base + hit->st_value);
		out->size = hit->st_size;
	}
	ul_mutex_unlock(&sym_lock);
	return 0;
}

/* Why there is no symbolizer, said once at the first report that needs one. */
static char no_symbolizer[600];

void ul_sym_init(void)
{
	ul_htab_init(&lines, 64, 1u << 20);
	lines.what = "the symbol cache: addresses are symbolized again";
	const char *want = ul_rt.opt.symbolizer;
	int e = errno;
	if (!want || !*want)
		snprintf(no_symbolizer, sizeof no_symbolizer, "--symbolizer is empty");
	else if (strchr(want, '/') && access(want, X_OK))
		snprintf(no_symbolizer, sizeof no_symbolizer, "--symbolizer %s: %s", want, strerror(errno));
	else if (strchr(want, '/'))
		snprintf(symbolizer_path, sizeof symbolizer_path, "%s", want);
	else
		snprintf(no_symbolizer, sizeof no_symbolizer, "--symbolizer %s: not found in PATH", want);
	errno = e;
	if (!want || !*want || strchr(want, '/'))
		return;
	const char *path = ul_getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		const char *end = strchr(path, ':');
		size_t n = end ? (size_t)(end - path) : strlen(path);
		char cand[512];
		snprintf(cand, sizeof cand, "%.*s/%s", (int)n, path, want);
		if (access(cand, X_OK) == 0) {
			snprintf(symbolizer_path, sizeof symbolizer_path, "%s", cand);
			no_symbolizer[0] = 0;
			errno = e;
			return;
		}
		path += n + (end ? 1 : 0);
	}
	errno = e;
}

/* Keep "file.c:42" without directories and discriminators; "" if unknown. */
static void clean_fileline(char *fl)
{
	char *d = strstr(fl, " (discriminator");
	if (d)
		*d = 0;
	if (fl[0] == '?' || (strlen(fl) > 2 && !strcmp(fl + strlen(fl) - 2, ":0")) ||
	    !strcmp(fl + strlen(fl) - 2, ":?")) {
		fl[0] = 0;
		return;
	}
	char *slash = strrchr(fl, '/');
	if (slash)
		memmove(fl, slash + 1, strlen(slash + 1) + 1);
}

/* Output of "-a -f -i": per address a line "0x..." then (function, file:line)
 * pairs, innermost inlined function first. Cached per ip as one string of
 * "function\tfile:line\n" lines. */
static void parse_output(char *out, const uintptr_t *ips, int n)
{
	char *save = NULL;
	int idx = -1;
	char val[2048];
	size_t vlen = 0;
	for (char *line = strtok_r(out, "\n", &save);; line = strtok_r(NULL, "\n", &save)) {
		if (!line || (line[0] == '0' && line[1] == 'x')) {
			if (idx >= 0 && idx < n) {
				char *str = ul_alloc(vlen + 1);
				if (str) {
					memcpy(str, val, vlen);
					str[vlen] = 0;
					uint64_t v[3] = { (uintptr_t)str, 0, 0 };
					ul_htab_put(&lines, ips[idx], v, true);
				}
			}
			if (!line)
				break;
			idx++;
			vlen = 0;
			continue;
		}
		char *fl = strtok_r(NULL, "\n", &save);
		if (!fl)
			fl = "??:0";
		char flc[512];
		snprintf(flc, sizeof flc, "%s", fl);
		clean_fileline(flc);
		int w = snprintf(val + vlen, sizeof val - vlen, "%s\t%s\n", line, flc);
		if (w > 0 && vlen + (size_t)w < sizeof val)
			vlen += (size_t)w;
	}
}

struct spawn_args {
	char **argv;
	char **envp;
	int out_fd, null_fd;
};

/* In a CLONE_VM child with exit signal 0: an exec would reset the exit
 * signal to SIGCHLD and the program would see the helper end. So a
 * grandchild (a plain clone, a copy of memory) execs, and this child, which
 * never execs, waits for it and returns its status (the clone function's
 * return ends it silently). Signals stay blocked as the caller left them.
 * No noreturn call on this stack: sanitizers hook those. */
int ul_exec_hidden(char *const argv[], char *const envp[], int fd0, int fd1, int fd2)
{
	long pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0) {
		dup2(fd0, 0);
		dup2(fd1, 1);
		dup2(fd2, 2);
		execve(argv[0], argv, envp);
		syscall(SYS_exit, 127);
	}
	/* signals are blocked: no EINTR (errno here would be the caller's) */
	int st = 0;
	if (pid < 0 || syscall(SYS_wait4, pid, &st, 0, 0) < 0)
		return 127;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 127;
}

static int spawn_child(void *arg)
{
	struct spawn_args *a = arg;
	return ul_exec_hidden(a->argv, a->envp, a->null_fd, a->out_fd, a->null_fd);
}

/* Run the symbolizer on one module with up to n addresses; parse pairs of
 * lines (function, file:line) into the cache. */
static void spawn_symbolizer(const char *module, uintptr_t base, const uintptr_t *ips, int n);

/* open() and waitpid() are cancellation points: a pending cancel must not
 * end the thread inside the runtime (holding the report lock). */
static void run_symbolizer(const char *module, uintptr_t base, const uintptr_t *ips, int n)
{
	if (!symbolizer_path[0] && n > 0 && no_symbolizer[0]) {
		static _Atomic int said;
		if (!atomic_exchange(&said, 1)) {
			char msg[700];
			int k = snprintf(msg, sizeof msg, "ulockdep: %s; reports show no file:line (pid %d)\n",
					 no_symbolizer, ul_getpid());
			ul_out_text(msg, k < (int)sizeof msg ? (size_t)k : sizeof msg - 1);
		}
	}
	if (!symbolizer_path[0] || n <= 0)
		return;
	int e = errno, old;
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	spawn_symbolizer(module, base, ips, n);
	pthread_setcancelstate(old, NULL);
	errno = e;
}

static void spawn_symbolizer(const char *module, uintptr_t base, const uintptr_t *ips, int n)
{
	static char argbuf[64][24];
	char *argv[64 + 8];
	int ac = 0;
	bool llvm = strstr(symbolizer_path, "llvm-symbolizer") != NULL;
	argv[ac++] = symbolizer_path;
	if (llvm)
		argv[ac++] = "--output-style=GNU";
	argv[ac++] = "-a";
	argv[ac++] = "-f";
	argv[ac++] = "-i";
	argv[ac++] = "-C";
	argv[ac++] = "-e";
	argv[ac++] = (char *)module;
	for (int i = 0; i < n && i < 64; i++) {
		snprintf(argbuf[i], sizeof argbuf[i], "%#lx", (unsigned long)(ips[i] - 1 - base));
		argv[ac++] = argbuf[i];
	}
	argv[ac] = NULL;
	/* environment without LD_PRELOAD, so the runtime does not load in the child */
	char *envp[256];
	int ec = 0;
	for (char **e = environ; e && *e && ec < 255; e++)
		if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "ULOCKDEP_OPTIONS=", 17))
			envp[ec++] = *e;
	envp[ec] = NULL;

	int p[2];
	if (pipe2(p, O_CLOEXEC))
		return;
	int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct spawn_args sa = { argv, envp, p[1], nullfd < 0 ? p[1] : nullfd };
	size_t stsz = 64 * 1024;
	char *stack = ul_map(stsz);
	sigset_t old;
	ul_block_signals(&old);
	/* exit signal 0 and the exec in a grandchild: the program's SIGCHLD
	 * handler and wait(-1) never see it; no CLONE_VFORK, as this thread
	 * reads the pipe while the helper writes */
	int saved = errno;
	pid_t pid = stack ? clone(spawn_child, stack + stsz, CLONE_VM, &sa) : -1;
	ul_restore_signals(&old);
	ul_close(p[1]);
	if (nullfd >= 0)
		ul_close(nullfd);
	if (pid > 0) {
		static char out[64 * 1024];
		size_t len = 0;
		ssize_t r;
		while (len < sizeof out - 1 && (r = ul_read(p[0], out + len, sizeof out - 1 - len)) > 0)
			len += (size_t)r;
		out[len] = 0;
		int st;
		while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
			;
		parse_output(out, ips, n);
	}
	errno = saved;
	ul_close(p[0]);
	if (stack)
		ul_unmap(stack, stsz);
}

void ul_sym_prefetch(const uintptr_t *ips, int n)
{
	if (!ul_rt.opt.symbolize)
		return;
	int e = errno;
	bool done[n];
	memset(done, 0, sizeof done);
	for (int i = 0; i < n; i++) {
		if (done[i] || !ips[i] || ul_htab_has(&lines, ips[i])) {
			done[i] = true;
			continue;
		}
		struct ul_sym s;
		if (ul_sym_lookup(ips[i], &s) || !s.path || !s.path[0]) {
			uint64_t v[3] = { (uintptr_t)"", 0, 0 };
			ul_htab_put(&lines, ips[i], v, true);
			continue;
		}
		uintptr_t batch[64];
		int k = 0;
		for (int j = i; j < n && k < 64; j++) {
			struct ul_sym s2;
			if (done[j] || !ips[j] || ul_sym_lookup(ips[j], &s2) || s2.path != s.path)
				continue;
			bool dup = false;
			for (int x = 0; x < k; x++)
				dup |= batch[x] == ips[j];
			if (!dup)
				batch[k++] = ips[j];
			done[j] = true;
		}
		char path[512];
		snprintf(path, sizeof path, "%s", s.path);
		run_symbolizer(path, s.is_main && s.base == 0 ? 0 : s.base, batch, k);
	}
	errno = e;
}

static const char *cached(uintptr_t ip)
{
	uint64_t v[3];
	if (!lines.initial || !ul_htab_get(&lines, ip, v))
		return NULL;
	return (const char *)(uintptr_t)v[0];
}

/* Pair k (0: innermost) of ip's inline chain; false past the end. */
static bool pair(uintptr_t ip, int k, char *fn, size_t fnlen, char *fl, size_t fllen)
{
	const char *s = cached(ip);
	for (int i = 0; s && *s; i++) {
		const char *tab = strchr(s, '\t'), *nl = strchr(s, '\n');
		if (!tab || !nl || tab > nl)
			return false;
		if (i == k) {
			snprintf(fn, fnlen, "%.*s", (int)(tab - s), s);
			snprintf(fl, fllen, "%.*s", (int)(nl - tab - 1), tab + 1);
			return true;
		}
		s = nl + 1;
	}
	return false;
}

static int npairs(uintptr_t ip)
{
	int n = 0;
	for (const char *s = cached(ip); s && *s; s = strchr(s, '\n') + 1, n++)
		if (!strchr(s, '\n'))
			break;
	return n;
}

const char *ul_sym_fileline(uintptr_t ip)
{
	static __thread char buf[512] UL_TLS;
	char fn[256];
	int n = npairs(ip);
	if (!n || !pair(ip, n - 1, fn, sizeof fn, buf, sizeof buf) || !buf[0])
		return NULL;
	return buf;
}

int ul_sym_funcs(uintptr_t ip, char (*names)[128], int max)
{
	ul_sym_prefetch(&ip, 1);
	int n = 0, np = npairs(ip);
	char fl[256];
	for (int k = 0; k < np && n < max; k++)
		if (pair(ip, k, names[n], sizeof names[0], fl, sizeof fl))
			n++;
	if (n < max)
		ul_sym_func(ip, names[n++], sizeof names[0]);
	return n;
}

/* C++ names through libstdc++'s own demangler when the program has it
 * (the runtime links nothing more). It allocates: never in a handler. */
typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);
static _Atomic(demangle_fn) demangler;
static _Atomic int demangler_state; /* 0 not looked up, 1 looked up */

bool ul_sym_demangle(const char *name, char *buf, size_t len)
{
	if (!name || strncmp(name, "_Z", 2) || (ul_self && ul_self->ctx))
		return false;
	if (!atomic_load(&demangler_state)) {
		atomic_store(&demangler, (demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle"));
		atomic_store(&demangler_state, 1);
	}
	demangle_fn f = atomic_load(&demangler);
	int st = -1;
	char *d = f ? f(name, NULL, NULL, &st) : NULL;
	if (!d)
		return false;
	bool ok = st == 0;
	if (ok)
		snprintf(buf, len, "%s", d);
	free(d);
	return ok;
}

/* The symbol's name, demangled when it is C++. */
static const char *sym_name(const char *name, char *buf, size_t len)
{
	return ul_sym_demangle(name, buf, len) ? buf : name;
}

void ul_sym_func(uintptr_t ip, char *buf, size_t len)
{
	struct ul_sym s;
	char d[512];
	if (!ul_sym_lookup(ip - 1, &s) && s.name)
		snprintf(buf, len, "%s", sym_name(s.name, d, sizeof d));
	else
		snprintf(buf, len, "%#lx", (unsigned long)ip);
}

/* A symbol and offset, or without a symbol the module and offset, which
 * stay the same from run to run (usable in suppressions). */
void ul_sym_data_name(uintptr_t addr, char *buf, size_t len)
{
	struct ul_sym s;
	char d[512];
	if (ul_sym_lookup(addr, &s))
		snprintf(buf, len, "%#lx", (unsigned long)addr);
	else if (!s.name)
		snprintf(buf, len, "%s+%#lx", s.module && s.module[0] ? s.module : "?",
			 (unsigned long)(addr - s.base));
	else if (s.off)
		snprintf(buf, len, "%s+%#lx", sym_name(s.name, d, sizeof d), (unsigned long)s.off);
	else
		snprintf(buf, len, "%s", sym_name(s.name, d, sizeof d));
}

static void format_ip(uintptr_t ip, char *buf, size_t len, bool with_size)
{
	struct ul_sym s;
	if (!ip) {
		snprintf(buf, len, "(unknown)");
		return;
	}
	ul_sym_prefetch(&ip, 1);
	const char *fl = ul_sym_fileline(ip);
	int n;
	char d[512];
	if (!ul_sym_lookup(ip - 1, &s) && s.name) {
		const char *nm = sym_name(s.name, d, sizeof d);
		if (with_size)
			n = snprintf(buf, len, "%s+%#lx/%#lx", nm, (unsigned long)s.off + 1,
				     (unsigned long)s.size);
		else
			n = snprintf(buf, len, "%s+%#lx", nm, (unsigned long)s.off + 1);
	} else if (s.module) {
		n = snprintf(buf, len, "%s+%#lx", s.module, (unsigned long)(ip - s.base));
		s.is_main = 1; /* the module is named already */
	} else {
		n = snprintf(buf, len, "%#lx", (unsigned long)ip);
	}
	if (n < 0 || (size_t)n >= len)
		return;
	if (fl)
		n += snprintf(buf + n, len - (size_t)n, " (%s)", fl);
	if (s.module && !s.is_main && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " [%s]", s.module);
}

/* Inlined helpers of the public headers are not the user's code. */
static bool api_file(const char *fl)
{
	return !strncmp(fl, "ulockdep.h:", 11) || !strncmp(fl, "lockdep.h:", 10);
}

/* A demangled constructor: "ns::T::T(...)" or "T<int>::T(...)". */
static bool ctor_name(const char *fn)
{
	const char *paren = strchr(fn, '(');
	size_t n = paren ? (size_t)(paren - fn) : strlen(fn);
	const char *last = NULL, *prev = NULL;
	int depth = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		if (fn[i] == '<')
			depth++;
		else if (fn[i] == '>')
			depth--;
		else if (!depth && fn[i] == ':' && fn[i + 1] == ':') {
			prev = last ? last : fn;
			last = fn + i + 2;
			i++;
		}
	}
	if (!last)
		return false;
	size_t ln = (size_t)(fn + n - last), pn = strcspn(prev, "<:");
	return ln == pn && !strncmp(prev, last, ln);
}

/* An inlined frame that only wraps making or taking a lock: library code
 * (std::, __gthread_*), a lock-maker name, a constructor at the bottom (and
 * one constructor above it: a type that owns a lock-owning member). */
static bool wrapper_frame(const char *fn, const char *fl, int k, bool *ctor)
{
	bool c = ctor_name(fn);
	bool w = api_file(fl) || !strncmp(fn, "std::", 5) || !strncmp(fn, "__gnu_cxx::", 11) ||
		 !strncmp(fn, "__gthr", 6) || ul_lock_maker_name(fn) || (c && (k == 0 || *ctor));
	*ctor = c && k == 0;
	return w;
}

/* Two names of one function: addr2line may print one with its parameter
 * list ("f(Dir*, File*)") and the other without ("f"). */
static bool same_function(const char *a, const char *b)
{
	size_t na = strcspn(a, "("), nb = strcspn(b, "(");
	return na == nb && !strncmp(a, b, na);
}

/* A site is named by its role frame: the first inlined frame outside the
 * wrappers (an inlined port::Mutex::Mutex() names the class after the type
 * that owns the mutex), else the function the code is in. Two classes that
 * still print alike are told apart by ul_class_name ("#2"). */
void ul_sym_site_name(uintptr_t ip, char *buf, size_t len)
{
	ul_sym_prefetch(&ip, 1);
	int n = npairs(ip);
	char fn[256], fl[256], outer[256] = "", ofl[8];
	bool ctor = false;
	/* an inlined frame named like the function it is in is addr2line
	 * naming a static inline helper (__gthread_mutex_lock) after it */
	if (n > 1)
		pair(ip, n - 1, outer, sizeof outer, ofl, sizeof ofl);
	for (int k = 0; k + 1 < n; k++)
		if (pair(ip, k, fn, sizeof fn, fl, sizeof fl) && fl[0] && !same_function(fn, outer) &&
		    !wrapper_frame(fn, fl, k, &ctor)) {
			snprintf(buf, len, "%s (%s)", fn, fl);
			return;
		}
	format_ip(ip, buf, len, false);
}

/* Frames with their inlined callees above them, one per line. */
void ul_sym_frame_lines(uintptr_t ip, char *buf, size_t len)
{
	ul_sym_prefetch(&ip, 1);
	int n = npairs(ip);
	size_t o = 0;
	buf[0] = 0;
	for (int k = 0; k + 1 < n && o < len; k++) {
		char fn[256], fl[256];
		if (pair(ip, k, fn, sizeof fn, fl, sizeof fl) && !api_file(fl))
			o += (size_t)snprintf(buf + o, len - o, "%s (%s) [inlined]\n", fn, fl[0] ? fl : "?");
	}
	if (o < len)
		format_ip(ip, buf + o, len - o, true);
}

void ul_sym_frame(uintptr_t ip, char *buf, size_t len)
{
	format_ip(ip, buf, len, true);
}
