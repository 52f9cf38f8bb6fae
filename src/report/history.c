/* --graph-db in the runtime (see history.h and src/common/snapshot.h).
 * The launcher puts a snapshot of the database in a private directory
 * named by ULOCKDEP_GRAPH_DIR; the runtime maps it, resolves each class
 * key to this process's addresses, and adds the known dependencies as
 * historical edges, so the first acquisition that closes a cycle with them
 * is reported at once. At exit it writes the dependencies this run added,
 * keyed by stable class keys, as DIR/dump.PID for the launcher to merge.
 * Preloaded without the launcher (graph_db= in ULOCKDEP_OPTIONS), the
 * runtime runs the launcher found next to it as a helper process for the
 * SQLite work, at start and at exit. */
#define _GNU_SOURCE
#include "history.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../common/snapshot.h"
#include "classkey.h"
#include "symbols.h"

static char dir[512];
static const struct ul_snap_hdr *hdr;
static const struct ul_snap_class *sclasses;
static const struct ul_snap_run *sruns;
static const struct ul_snap_edge *sedges;
static const char *sstrs;
/* Historical edges are the first ones added (at start): edge id ->
 * snapshot edge index + 1. */
static uint32_t *hist;
static uint32_t hist_n;
static uint32_t nseeded;
/* role site -> class, for classes made through wrappers */
static struct ul_htab site_map;
static bool site_map_used;

static const struct ul_snap_edge *hist_edge(uint32_t eid)
{
	return eid && eid < hist_n && hist[eid] ? &sedges[hist[eid] - 1] : NULL;
}
static char helper[600]; /* the launcher, when preloaded without it */
static char db_path[4096]; /* graph_db made absolute at start (bare mode) */
static int creator;      /* the process that made dir (bare mode) */

extern char **environ;

uint32_t ul_history_nedges(void)
{
	return nseeded;
}

uint32_t ul_history_site_class(uint8_t origin, uintptr_t site)
{
	uint64_t v[3];
	if (!site_map_used || !ul_htab_get(&site_map, ((uint64_t)site << 3 | origin) + 1, v))
		return 0;
	return (uint32_t)v[0];
}

static const char *sstr(uint32_t off)
{
	return off < hdr->strsz ? sstrs + off : "";
}

static bool map_snapshot(void)
{
	char path[4096];
	const char *ready = ul_getenv(UL_GRAPH_SNAP_ENV);
	if ((size_t)snprintf(path, sizeof path, "%s", ready && *ready ? ready : dir) >= sizeof path - 10)
		return false; /* never a truncated path */
	if (!ready || !*ready)
		strcat(path, "/snapshot");
	int fd = ul_open_read(path);
	if (fd < 0)
		return false;
	struct stat st;
	const char *p = MAP_FAILED;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size >= (off_t)sizeof *hdr)
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	ul_close(fd);
	if (p == MAP_FAILED)
		return false;
	const struct ul_snap_hdr *h = (const void *)p;
	uint64_t need = sizeof *h + (uint64_t)h->nclasses * sizeof *sclasses + (uint64_t)h->nruns * sizeof *sruns +
			(uint64_t)h->nedges * sizeof *sedges + h->strsz;
	if (memcmp(h->magic, UL_SNAP_MAGIC, 8) || need != (uint64_t)st.st_size || !h->strsz ||
	    p[st.st_size - 1]) {
		ul_report_notice("graph-db: the snapshot from the launcher is malformed; no history loaded");
		munmap((void *)p, (size_t)st.st_size);
		return false;
	}
	hdr = h;
	sclasses = (const void *)(h + 1);
	sruns = (const void *)(sclasses + h->nclasses);
	sedges = (const void *)(sruns + h->nruns);
	sstrs = (const char *)(sedges + h->nedges);
	return true;
}

static bool find_helper(void)
{
	Dl_info info;
	if (!dladdr((void *)find_helper, &info) || !info.dli_fname)
		return false;
	char lib[512];
	snprintf(lib, sizeof lib, "%s", info.dli_fname);
	char *slash = strrchr(lib, '/');
	if (!slash)
		return false;
	*slash = 0;
	static const char *const cands[] = { "%s/ulockdep", "%s/../../bin/ulockdep", "%s/../bin/ulockdep" };
	for (size_t i = 0; i < UL_ARRAY_SIZE(cands); i++) {
		snprintf(helper, sizeof helper, cands[i], lib);
		if (!access(helper, X_OK))
			return true;
	}
	helper[0] = 0;
	return false;
}

struct spawn {
	char **argv, **envp;
	int null_fd;
};

static int spawn_child(void *arg)
{
	struct spawn *s = arg;
	return ul_exec_hidden(s->argv, s->envp, s->null_fd, s->null_fd, 2);
}

/* Run "ulockdep db CMD FILE ARG" and return its exit status (-1: none).
 * Exit signal 0 and the exec in a grandchild (ul_exec_hidden): the
 * program's SIGCHLD handler and wait() never see it. */
static int run_helper(const char *cmd, const char *arg)
{
	char *argv[] = { helper, "db", (char *)cmd, db_path, (char *)arg, NULL };
	char *envp[256], tmo[64];
	int ec = 0;
	snprintf(tmo, sizeof tmo, "ULOCKDEP_DB_TIMEOUT_MS=%ld", ul_rt.opt.graph_db_timeout_ms);
	envp[ec++] = tmo;
	for (char **e = environ; e && *e && ec < 255; e++)
		if (strncmp(*e, "LD_PRELOAD=", 11) && strncmp(*e, "ULOCKDEP_OPTIONS=", 17))
			envp[ec++] = *e;
	envp[ec] = NULL;
	int nullfd = open("/dev/null", O_RDWR | O_CLOEXEC);
	struct spawn s = { argv, envp, nullfd };
	size_t stsz = 64 * 1024;
	char *stack = ul_map(stsz);
	sigset_t old;
	ul_block_signals(&old);
	pid_t pid = stack && nullfd >= 0 ? clone(spawn_child, stack + stsz, CLONE_VM | CLONE_VFORK, &s) : -1;
	ul_restore_signals(&old);
	int st = -1;
	if (pid > 0) {
		int e = errno;
		while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
			;
		errno = e;
		st = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	}
	if (nullfd >= 0)
		ul_close(nullfd);
	if (stack)
		ul_unmap(stack, stsz);
	return st;
}

/* Preloaded without the launcher: make the directory and the snapshot. */
static bool bare_start(void)
{
	if (!find_helper()) {
		ul_report_notice("graph-db: the ulockdep launcher is not next to libulockdep.so; no history");
		return false;
	}
	/* absolute now: the program may change directory before its exit */
	const char *db = ul_rt.opt.graph_db;
	char cwd[4096] = "";
	if (db[0] != '/' && !getcwd(cwd, sizeof cwd - 1))
		cwd[0] = 0;
	if ((db[0] != '/' && !cwd[0]) ||
	    (size_t)snprintf(db_path, sizeof db_path, "%s%s%s", cwd, cwd[0] ? "/" : "", db) >= sizeof db_path) {
		ul_report_notice("graph-db: the database path is too long once made absolute; no history");
		return false;
	}
	char tmpl[] = "/tmp/ulockdep-graph-XXXXXX";
	if (!mkdtemp(tmpl)) {
		ul_report_notice("graph-db: cannot make a private directory in /tmp; no history");
		return false;
	}
	memcpy(dir, tmpl, sizeof tmpl);
	creator = ul_getpid();
	int rc = run_helper("snapshot", dir);
	if (rc == 2) { /* a foreign or corrupt file: the helper named it */
		rmdir(dir);
		_exit(1);
	}
	if (rc)
		ul_report_notice("graph-db: the database could not be read; running without the recorded orders");
	return true;
}

void ul_history_init(void)
{
	const char *d = ul_getenv(UL_GRAPH_DIR_ENV);
	if (d && *d && strlen(d) < sizeof dir)
		memcpy(dir, d, strlen(d) + 1);
	else if (!ul_rt.opt.graph_db || !*ul_rt.opt.graph_db || !bare_start())
		return;
	ul_ck_refresh();
	if (!map_snapshot() || !hdr->nedges)
		return;
	uint32_t *cls = ul_map((hdr->nclasses + 1) * sizeof *cls);
	if (!cls)
		return;
	for (uint32_t i = 0; i < hdr->nclasses; i++) {
		uint8_t origin, sub;
		uintptr_t addr;
		bool via;
		if (!ul_ck_resolve(sstr(sclasses[i].key), &origin, &addr, &sub, &via))
			continue; /* its module is not loaded, or the symbol is gone */
		uint32_t id;
		if (via) {
			/* its live key will be a hash of frames: the class is found by
			 * its role site when a lock made there appears (site_class) */
			if (!site_map_used)
				ul_htab_init(&site_map, 64, 0);
			site_map_used = true;
			id = ul_class_for_site(origin, ul_hash64(addr ^ 0x5eedULL) | 1, addr, (uint8_t)sclasses[i].kind);
			uint64_t v[3] = { id, 0, 0 };
			if (id)
				ul_htab_put(&site_map, ((uint64_t)addr << 3 | origin) + 1, v, false);
		} else {
			id = ul_class_for_key(origin, addr, (uint8_t)sclasses[i].kind, NULL);
		}
		if (id && sub)
			id = ul_class_sub(id, sub);
		cls[i] = id; /* 0: past max_classes */
	}
	/* size the (still empty) edge table for the history at once */
	uint32_t per_seg = 256;
	while (per_seg / 2 * UL_HSEGS < hdr->nedges && per_seg < (1u << 24))
		per_seg *= 2;
	if (!atomic_load(&ul_rt.edges.count))
		ul_htab_init(&ul_rt.edges, per_seg, 0);
	hist = ul_map((hdr->nedges + 2) * sizeof *hist);
	if (!hist)
		goto out;
	ul_mutex_lock(&ul_rt.graph_lock);
	for (uint32_t i = 0; i < hdr->nedges; i++) {
		const struct ul_snap_edge *e = &sedges[i];
		if (e->from >= hdr->nclasses || e->to >= hdr->nclasses || !cls[e->from] || !cls[e->to] ||
		    cls[e->from] == cls[e->to])
			continue;
		struct ul_class *a = ul_class_get(cls[e->from]), *b = ul_class_get(cls[e->to]);
		bool added;
		uint32_t eid = ul_edge_add(a->node, b->node, (uint8_t)(e->types & 15), 0, &added);
		if (!eid || !added || eid > hdr->nedges)
			continue;
		hist[eid] = i + 1;
		ul_edge_get(eid)->seeded = true;
		if (eid >= hist_n)
			hist_n = eid + 1;
		nseeded++;
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
out:
	ul_unmap(cls, (hdr->nclasses + 1) * sizeof *cls);
}

/* "2026-12-03 02:50:01 UTC", without the locale machinery. */
static void utc_time(int64_t t, char *buf, size_t len)
{
	int64_t days = t / 86400, s = t % 86400;
	/* civil date from days since 1970-01-01 */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int64_t dd = doy - (153 * mp + 2) / 5 + 1, mm = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, len, "%04ld-%02ld-%02ld %02ld:%02ld:%02ld UTC", (long)(y + (mm <= 2)), (long)mm, (long)dd,
		 (long)(s / 3600), (long)(s / 60 % 60), (long)(s % 60));
}

bool ul_history_edge_text(struct ul_rb *r, uint32_t edge, int indent)
{
	const struct ul_snap_edge *e = hdr ? hist_edge(edge) : NULL;
	if (!e)
		return false;
	if (e->run < hdr->nruns) {
		const struct ul_snap_run *run = &sruns[e->run];
		char when[64];
		utc_time(run->time, when, sizeof when);
		ul_rb_printf(r, "%*s(recorded by an earlier run: %s pid %d on %s at %s: %s)\n", indent, "",
			     sstr(run->program), run->pid, sstr(run->host), when, sstr(run->argv));
	} else {
		ul_rb_printf(r, "%*s(recorded by an earlier run)\n", indent, "");
	}
	const char *st = sstr(e->stack);
	if (r->nstacks < UL_RB_STACKS) {
		struct ul_rb_stack *s = &r->stacks[r->nstacks++];
		memset(s, 0, sizeof *s);
		snprintf(s->label, sizeof s->label, "dependency (earlier run)");
		s->text = st;
	}
	if (!*st)
		ul_rb_printf(r, "%*s(stack unavailable)\n", indent, "");
	for (const char *line = st, *nl; *line; line = nl ? nl + 1 : line + strlen(line)) {
		nl = strchr(line, '\n');
		ul_rb_printf(r, "%*s%.*s\n", indent, "", nl ? (int)(nl - line) : (int)strlen(line), line);
	}
	return true;
}

/* ---- exit dump ---- */

struct out {
	int fd;
	char buf[16384];
	size_t len;
};

static void oflush(struct out *o)
{
	ul_write_all(o->fd, o->buf, o->len);
	o->len = 0;
}

static void oput(struct out *o, const char *s, bool escape)
{
	for (; *s; s++) {
		if (o->len + 2 >= sizeof o->buf)
			oflush(o);
		char c = *s;
		if (escape && (c == '\\' || c == '\t' || c == '\n')) {
			o->buf[o->len++] = '\\';
			c = c == '\t' ? 't' : c == '\n' ? 'n' : '\\';
		}
		o->buf[o->len++] = c;
	}
}

static void ofield(struct out *o, const char *s)
{
	oput(o, "\t", false);
	oput(o, s, true);
}

static void write_run(struct out *o)
{
	char num[64], host[256] = "", args[2048] = "";
	oput(o, UL_DUMP_MAGIC "\nrun", false);
	snprintf(num, sizeof num, "%d", ul_getpid());
	ofield(o, num);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(num, sizeof num, "%ld", (long)ts.tv_sec);
	ofield(o, num);
	gethostname(host, sizeof host - 1);
	ofield(o, host);
	ofield(o, ul_rt.progname);
	int fd = ul_open_read("/proc/self/cmdline");
	ssize_t n = fd >= 0 ? ul_read(fd, args, sizeof args - 1) : 0;
	if (fd >= 0)
		ul_close(fd);
	for (ssize_t i = 0; i < n; i++)
		if (!args[i])
			args[i] = ' ';
	while (n > 0 && args[n - 1] == ' ')
		n--;
	args[n > 0 ? n : 0] = 0;
	ofield(o, args);
	oput(o, "\n", false);
	for (int i = 0; i < ul_ck_nmodules(); i++) {
		const char *name, *bid, *path;
		/* modules are named by path in keys (classkey.h) */
		if (!ul_ck_module(i, &name, &bid, &path) || !bid[0] || path[0] != '/')
			continue;
		oput(o, "module", false);
		ofield(o, path);
		ofield(o, bid);
		ofield(o, path);
		oput(o, "\n", false);
	}
}

/* Escaped stack texts by depot id, direct-mapped: many dependencies share
 * their first stack, and formatting a frame is a symbol lookup. */
#define SCACHE 4096
struct scache {
	struct { uint32_t id; uint32_t off; } e[SCACHE];
	char arena[8u << 20];
	size_t used;
	char tmp[64 * 1024];
};

static const char *stack_text(struct scache *sc, uint32_t id)
{
	if (!id)
		return "";
	uint32_t k = id % SCACHE;
	if (sc->e[k].id == id)
		return sc->arena + sc->e[k].off;
	const struct ul_stack *st = ul_stack_get(id);
	struct out o = { -1, "", 0 };
	size_t n = 0;
	sc->tmp[0] = 0;
	for (uint32_t f = 0; st && f < st->n; f++) {
		char fr[2048];
		ul_sym_frame_lines(st->pc[f], fr, sizeof fr);
		o.len = 0;
		if (f)
			oput(&o, "\\n", false);
		oput(&o, fr, true); /* escapes; fits: a frame is < 2048 */
		if (n + o.len + 1 >= sizeof sc->tmp)
			break;
		memcpy(sc->tmp + n, o.buf, o.len);
		n += o.len;
		sc->tmp[n] = 0;
		/* stop at the program's entry, as the text reports do */
		if (!strncmp(fr, "main+", 5) || strstr(fr, "\nmain+"))
			break;
	}
	if (sc->used + n + 1 <= sizeof sc->arena) {
		memcpy(sc->arena + sc->used, sc->tmp, n + 1);
		sc->e[k].id = id;
		sc->e[k].off = (uint32_t)sc->used;
		sc->used += n + 1;
	}
	return sc->tmp;
}

static void prefetch(uintptr_t *ips, uint32_t *n, uintptr_t ip)
{
	ips[(*n)++] = ip;
	if (*n == 256) {
		ul_sym_prefetch(ips, (int)*n);
		*n = 0;
	}
}

void ul_history_exit(void)
{
	if (!dir[0])
		return;
	char path[600];
	ul_ck_refresh();
	ul_mutex_lock(&ul_rt.graph_lock);
	uint32_t ne = ul_graph_edge_ids(), nc = atomic_load(&ul_rt.nclasses);
	size_t esz = (ne + 1) * sizeof(uint32_t) * 4, csz = (nc + 2) * sizeof(uint32_t);
	uint32_t *ev = ul_map(esz), *num = ul_map(csz);
	uint32_t k = 0;
	for (uint32_t i = 1; ev && num && i <= ne; i++) {
		struct ul_edge *e = ul_edge_get(i);
		if (!e->from)
			continue; /* freed with its instance */
		struct ul_node *a = ul_node_get(e->from), *b = ul_node_get(e->to);
		const struct ul_snap_edge *h = hist_edge(i);
		if (a->inst || b->inst)
			continue; /* same-class instance order is per process */
		if (h && !(e->types & ~h->types))
			continue; /* known before this run */
		ev[4 * k] = a->class_id;
		ev[4 * k + 1] = b->class_id;
		ev[4 * k + 2] = e->types;
		ev[4 * k + 3] = e->stack;
		k++;
	}
	ul_mutex_unlock(&ul_rt.graph_lock);
	if (!ev || !num)
		goto out;
	/* one symbolizer run per module for every name and frame */
	uintptr_t ips[256];
	uint32_t nips = 0;
	for (uint32_t i = 0; i < k; i++) {
		const struct ul_stack *st = ul_stack_get(ev[4 * i + 3]);
		for (uint32_t f = 0; st && f < st->n; f++)
			prefetch(ips, &nips, st->pc[f]);
		for (int j = 0; j < 2; j++) {
			struct ul_class *c = ul_class_get(ev[4 * i + j]);
			if (c && (c->origin == UL_ORIGIN_INIT || c->origin == UL_ORIGIN_FIRST_USE))
				prefetch(ips, &nips, c->key);
		}
	}
	ul_sym_prefetch(ips, (int)nips);

	struct out *o = ul_map(sizeof *o);
	if (!o)
		goto out;
	/* a reused pid (or an exec'd image of this process) gets its own name */
	o->fd = -1;
	for (int n = 0; n < 100 && o->fd < 0; n++) {
		snprintf(path, sizeof path, n ? "%s/dump.%d.%d" : "%s/dump.%d", dir, ul_getpid(), n);
		o->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (o->fd < 0 && errno != EEXIST)
			break;
	}
	if (o->fd < 0) {
		ul_report_notice("graph-db: cannot write the new dependencies of this run");
		ul_unmap(o, sizeof *o);
		goto out;
	}
	write_run(o);
	struct scache *sc = ul_map(sizeof *sc);
	if (!sc) {
		close(o->fd);
		ul_unmap(o, sizeof *o);
		goto out;
	}
	uint32_t next = 0;
	char key[700], line[64];
	for (uint32_t i = 0; i < k; i++) {
		uint32_t *e = &ev[4 * i];
		bool ok = true;
		for (int j = 0; j < 2 && ok; j++) {
			uint32_t id = e[j];
			if (id > nc) {
				ok = false;
			} else if (!num[id]) {
				struct ul_class *c = ul_class_get(id);
				if (!ul_class_stable_key(c, key, sizeof key)) {
					num[id] = UINT32_MAX;
				} else {
					num[id] = ++next;
					snprintf(line, sizeof line, "class\t%u\t%u", next, c->kind);
					oput(o, line, false);
					ofield(o, key);
					ofield(o, ul_class_label(c));
					oput(o, "\n", false);
				}
			}
			ok = ok && num[id] != UINT32_MAX;
		}
		if (!ok)
			continue;
		snprintf(line, sizeof line, "edge\t%u\t%u\t%u\t", num[e[0]], num[e[1]], e[2]);
		oput(o, line, false);
		oput(o, stack_text(sc, e[3]), false);
		oput(o, "\n", false);
	}
	oflush(o);
	close(o->fd);
	ul_unmap(o, sizeof *o);
	ul_unmap(sc, sizeof *sc);
	if (helper[0]) /* no launcher: merge it now */
		run_helper("ingest", path);
out:
	if (helper[0] && creator == ul_getpid()) {
		snprintf(path, sizeof path, "%s/snapshot", dir);
		unlink(path);
		rmdir(dir);
	}
	if (ev)
		ul_unmap(ev, esz);
	if (num)
		ul_unmap(num, csz);
}
