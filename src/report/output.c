/* Report outputs (see output.h and docs/output.md). The launcher opens the
 * files before exec and passes them in ULOCKDEP_FDS as
 * "pid=OWNER;json=FD,DEV,INO;sarif=!ERRNO;...". Without it (bare
 * LD_PRELOAD) the runtime opens them here, before main. Every descriptor is
 * a private close-on-exec duplicate at a high number, checked by device and
 * inode before each write, because a program may close or reuse it. */
#define _GNU_SOURCE
#include "output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/outfile.h"
#include "../core/core.h"

struct out {
	const char *key;   /* name in ULOCKDEP_FDS */
	const char *what;  /* for messages */
	int mode;
	bool active;       /* configured for this process */
	bool inherited;    /* the launcher's file: the launcher commits it */
	bool said;         /* the one failure notice was given */
	bool deferred;     /* a per-process file, created at its first write */
	bool borrowed;     /* fd 2 or the launcher's descriptor, used in place: never closed */
	bool transient;    /* tiny descriptor limit: opened for each write, then closed */
	int err;           /* first error */
	unsigned lost;     /* writes lost */
	struct ul_openfile f;
	char path[PATH_MAX];
};

static struct out outs[UL_OUT_N] = {
	[UL_OUT_ERR] = { .key = "err", .what = "stderr", .mode = UL_OF_STREAM },
	[UL_OUT_LOG] = { .key = "log", .what = "log file", .mode = UL_OF_STREAM },
	[UL_OUT_JSON] = { .key = "json", .what = "JSON file", .mode = UL_OF_STREAM },
	[UL_OUT_SARIF] = { .key = "sarif", .what = "SARIF file", .mode = UL_OF_WHOLE },
	[UL_OUT_DOT] = { .key = "dot", .what = "graph file", .mode = UL_OF_WHOLE },
	[UL_OUT_GJSON] = { .key = "gjson", .what = "graph file", .mode = UL_OF_WHOLE },
	[UL_OUT_STATUS] = { .key = "status", .what = "report counter", .mode = UL_OF_STREAM },
};
static int owner_pid; /* the process the launcher started */
/* ULOCKDEP_OPTIONS is not the launcher's: this process (a child that set
 * its own) writes its own files; only the report counter is shared */
static bool foreign;
/* RLIMIT_NOFILE below UL_FD_TINY: every descriptor is the program's, so
 * ulockdep keeps none of its own (docs/output.md) */
static bool tiny;
UL_STATIC_MUTEX(out_lock);
static _Atomic int out_owner;

/* The path options, made absolute at start-up: a forked child that names
 * its own file after the program's chdir still lands where the user asked. */
static char patterns[UL_OUT_N][PATH_MAX];

static const char *raw_option(int id)
{
	switch (id) {
	case UL_OUT_LOG: return ul_rt.opt.log_file;
	case UL_OUT_JSON: return ul_rt.opt.json;
	case UL_OUT_SARIF: return ul_rt.opt.sarif;
	case UL_OUT_DOT: case UL_OUT_GJSON: return ul_rt.opt.graph;
	default: return NULL;
	}
}

static const char *option_of(int id)
{
	return patterns[id][0] ? patterns[id] : raw_option(id);
}

static void make_absolute(int id)
{
	const char *p = raw_option(id);
	if (!p || !*p || p[0] == '/')
		return;
	int e = errno;
	if (getcwd(patterns[id], sizeof patterns[id])) {
		size_t n = strlen(patterns[id]);
		if (n + 1 + strlen(p) < sizeof patterns[id])
			snprintf(patterns[id] + n, sizeof patterns[id] - n, "%s%s", n > 1 ? "/" : "", p);
		else
			patterns[id][0] = 0; /* too long: make_path says so */
	}
	errno = e;
}

static const char *flag_of(int id)
{
	switch (id) {
	case UL_OUT_LOG: return "--log-file";
	case UL_OUT_JSON: return "--json";
	case UL_OUT_SARIF: return "--sarif";
	default: return "--graph";
	}
}

/* write() keeping errno; returns 0 or the error */
static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	int e = errno, r = 0;
	while (len) {
		ssize_t n = syscall(SYS_write, fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? errno : ENOSPC;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	errno = e;
	return r;
}

static void err_write(const char *s, size_t n)
{
	struct out *o = &outs[UL_OUT_ERR];
	if (o->f.fd >= 0 && ul_fd_is(o->f.fd, o->f.dev, o->f.ino) && !write_full(o->f.fd, s, n))
		return;
	o->lost++;
}

static void fail(struct out *o, int err, const char *extra)
{
	o->lost++;
	if (!o->err)
		o->err = err;
	if (o->said || o == &outs[UL_OUT_ERR] || o == &outs[UL_OUT_STATUS])
		return;
	o->said = true;
	char msg[PATH_MAX + 300];
	int n = snprintf(msg, sizeof msg, "ulockdep: cannot write %s %s: %s%s (pid %d)\n", o->what, o->path,
			 strerror(err), extra ? extra : "; its output is lost", ul_getpid());
	err_write(msg, (size_t)(n < (int)sizeof msg ? n : (int)sizeof msg - 1));
}

/* The file this process writes for output id. A whole-file output without
 * %p belongs to the owner; any other process writes NAME.PID.EXT. */
static int make_path(int id, char *out, size_t len)
{
	const char *pat = option_of(id);
	int pid = ul_getpid();
	char ins[16] = "";
	if (outs[id].mode == UL_OF_WHOLE && !ul_path_has_pid(pat) && pid != owner_pid)
		snprintf(ins, sizeof ins, ".%d", pid);
	if (id == UL_OUT_DOT || id == UL_OUT_GJSON) {
		char app[24];
		snprintf(app, sizeof app, "%s%s", ins, id == UL_OUT_DOT ? ".dot" : ".json");
		return ul_path_make(pat, pid, NULL, app, out, len);
	}
	return ul_path_make(pat, pid, ins, NULL, out, len);
}

static void open_own(int id, bool at_start)
{
	struct out *o = &outs[id];
	o->inherited = false;
	o->f.fd = -1;
	o->f.flags = 0;
	int r = make_path(id, o->path, sizeof o->path);
	if (r == -ENAMETOOLONG && at_start) {
		char msg[200];
		int n = snprintf(msg, sizeof msg, "ulockdep: %s: the path is longer than PATH_MAX (%d bytes) once "
				 "made absolute\n", flag_of(id), PATH_MAX - 1);
		err_write(msg, (size_t)n);
		_exit(1);
	}
	if (!r && tiny && o->mode == UL_OF_WHOLE) {
		o->transient = true; /* opened (and replaced) at each write */
		return;
	}
	if (!r)
		r = ul_outfile_open(o->path, o->mode, &o->f);
	if (r) {
		o->f.fd = -1;
		fail(o, -r, id == UL_OUT_LOG ? "; reports go to stderr" : NULL);
		o->lost = 0; /* nothing written yet */
		return;
	}
	if (tiny) {
		ul_close(o->f.fd);
		o->f.fd = -1;
		o->transient = true;
		return;
	}
	o->f.fd = ul_fd_move_high(o->f.fd, 1);
}

/* A per-process file is created early only where the process may still
 * drop privileges (euid 0); elsewhere at its first write, so a child that
 * ends with _exit() or never reports leaves no empty file. */
static void open_per_process(int id)
{
	if (geteuid() == 0) {
		open_own(id, false);
		return;
	}
	outs[id].f.fd = -1;
	outs[id].f.flags = 0;
	outs[id].inherited = false;
	outs[id].deferred = true;
	make_path(id, outs[id].path, sizeof outs[id].path);
}

/* The entry "key=FD,DEV,INO" or "key=!ERRNO" of ULOCKDEP_FDS: 1 with a
 * descriptor that is still that file, -1 with *err, 0 if none. */
static int find_entry(const char *env, const char *key, int *fd, unsigned long *dev, unsigned long *ino,
		      int *err)
{
	size_t kl = strlen(key);
	for (const char *p = env; p && *p; p = strchr(p, ';') ? strchr(p, ';') + 1 : NULL) {
		if (strncmp(p, key, kl) || p[kl] != '=')
			continue;
		p += kl + 1;
		if (*p == '!') {
			*err = atoi(p + 1);
			return -1;
		}
		char *end;
		*fd = (int)strtol(p, &end, 10);
		*dev = *end == ',' ? strtoul(end + 1, &end, 10) : 0;
		*ino = *end == ',' ? strtoul(end + 1, &end, 10) : 0;
		return ul_fd_is(*fd, *dev, *ino) ? 1 : 0; /* 0: closed or reused before exec */
	}
	return 0;
}

int ul_out_inherited(const char *key)
{
	if (foreign && strcmp(key, "status"))
		return -1;
	int fd = -1, err = 0;
	unsigned long dev, ino;
	return find_entry(ul_getenv("ULOCKDEP_FDS"), key, &fd, &dev, &ino, &err) == 1 ? fd : -1;
}

static bool take_inherited(const char *env, int id)
{
	struct out *o = &outs[id];
	int fd = -1, err = 0;
	unsigned long dev = 0, ino = 0;
	int r = find_entry(env, o->key, &fd, &dev, &ino, &err);
	if (r < 0) {
		o->err = err;
		o->said = true; /* the launcher said it */
		o->f.fd = -1;
		return true;
	}
	int nfd = r ? (tiny ? fd : fcntl(fd, F_DUPFD_CLOEXEC, 3)) : -1;
	if (nfd < 0)
		return false;
	struct stat st;
	fstat(nfd, &st);
	o->borrowed = tiny;
	o->f.fd = tiny ? nfd : ul_fd_move_high(nfd, 1);
	o->f.dev = dev;
	o->f.ino = ino;
	o->f.flags = o->mode | (S_ISREG(st.st_mode) ? UL_OF_REGULAR : 0);
	o->inherited = true;
	return true;
}

void ul_outputs_init(void)
{
	struct out *e = &outs[UL_OUT_ERR];
	struct stat st;
	int se = errno;
	e->active = true;
	e->f.fd = -1;
	tiny = ul_fd_floor() < 0;
	e->borrowed = tiny;
	if (fstat(2, &st) == 0) {
		e->f.fd = tiny ? 2 : ul_fd_move_high(fcntl(2, F_DUPFD_CLOEXEC, 3), 1);
		e->f.dev = st.st_dev;
		e->f.ino = st.st_ino;
	}
	const char *env = ul_getenv("ULOCKDEP_FDS");
	const char *opts = env ? strstr(env, ";opts=") : NULL;
	if (opts && strtoull(opts + 6, NULL, 16) != ul_hash_str(ul_getenv("ULOCKDEP_OPTIONS")))
		foreign = true;
	const char *pid = env && !foreign && !strncmp(env, "pid=", 4) ? env + 4 : NULL;
	owner_pid = pid ? atoi(pid) : ul_getpid();
	if (tiny && !pid) {
		static const char msg[] = "ulockdep: RLIMIT_NOFILE is below 256: ulockdep keeps no descriptors of "
					  "its own; reports go to fd 2 itself and files are opened at each write\n";
		err_write(msg, sizeof msg - 1);
	}
	for (int id = UL_OUT_LOG; id < UL_OUT_N; id++) {
		struct out *o = &outs[id];
		o->f.fd = -1;
		make_absolute(id);
		const char *pat = option_of(id);
		if (id == UL_OUT_STATUS) {
			o->active = env && take_inherited(env, id);
			continue;
		}
		if (foreign) {
			if (pat && *pat) {
				o->active = true;
				open_own(id, true);
			}
			continue;
		}
		if (!pat || !*pat)
			continue;
		o->active = true;
		bool mine = o->mode == UL_OF_STREAM ? !ul_path_has_pid(pat) || owner_pid == ul_getpid()
						    : owner_pid == ul_getpid();
		if (mine && env && take_inherited(env, id)) {
			make_path(id, o->path, sizeof o->path);
			continue;
		}
		if (owner_pid != ul_getpid() && (o->mode == UL_OF_WHOLE || ul_path_has_pid(pat)))
			open_per_process(id);
		else
			open_own(id, true);
	}
	errno = se;
}

/* The launcher's descriptors only the owner uses (its SARIF and graph
 * files, the carry memfd) are close-on-exec in every other process, so
 * they do not reach the programs a child execs. */
static void owner_fds_cloexec(void)
{
	static const char *const keys[] = { "sarif", "dot", "gjson", "carry" };
	const char *env = ul_getenv("ULOCKDEP_FDS");
	int e = errno;
	for (size_t i = 0; env && i < sizeof keys / sizeof keys[0]; i++) {
		int fd = -1, err = 0;
		unsigned long dev, ino;
		if (find_entry(env, keys[i], &fd, &dev, &ino, &err) == 1)
			fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	errno = e;
}

void ul_outputs_after_fork(void)
{
	atomic_store(&out_owner, 0);
	if (!ul_out_is_owner())
		owner_fds_cloexec();
	for (int id = UL_OUT_ERR; id < UL_OUT_N; id++) {
		struct out *o = &outs[id];
		o->lost = 0;
		if (!o->active || id == UL_OUT_ERR || id == UL_OUT_STATUS)
			continue;
		const char *pat = option_of(id);
		if (o->mode == UL_OF_STREAM && !ul_path_has_pid(pat))
			continue; /* shared: appends from every process stay whole */
		if (!o->borrowed && !o->transient && ul_fd_is(o->f.fd, o->f.dev, o->f.ino))
			ul_close(o->f.fd);
		o->borrowed = false;
		o->said = false;
		o->err = 0;
		open_per_process(id);
	}
}

static bool lock_outputs(void)
{
	if (atomic_load(&out_owner) == ul_gettid())
		return false; /* a signal handler inside an output call */
	ul_mutex_lock(&out_lock);
	atomic_store(&out_owner, ul_gettid());
	return true;
}

static void unlock_outputs(bool locked)
{
	if (!locked)
		return;
	atomic_store(&out_owner, 0);
	ul_mutex_unlock(&out_lock);
}

/* A descriptor to write to, reopened by path if the program closed ours. */
static int usable(int id)
{
	struct out *o = &outs[id];
	if (!o->active)
		return -1;
	if (o->f.fd >= 0 && ul_fd_is(o->f.fd, o->f.dev, o->f.ino))
		return o->f.fd;
	if (o->deferred) {
		o->deferred = false;
		open_own(id, false);
		if (!o->transient)
			return o->f.fd;
	}
	if (o->transient) {
		int r = ul_outfile_open(o->path, o->mode, &o->f);
		if (r) {
			o->f.fd = -1;
			fail(o, -r, NULL);
		}
		return o->f.fd;
	}
	if (o->f.fd < 0 && o->err)
		return -1; /* never opened: already said */
	o->f.fd = -1; /* the number may be the program's now: never close it */
	if (id == UL_OUT_ERR) {
		if (ul_fd_is(2, o->f.dev, o->f.ino))
			o->f.fd = tiny ? 2 : ul_fd_move_high(fcntl(2, F_DUPFD_CLOEXEC, 3), 1);
		return o->f.fd;
	}
	if (id == UL_OUT_STATUS) {
		o->err = EBADF;
		return -1;
	}
	int r;
	if ((o->f.flags & UL_OF_TEMP) && !o->inherited) {
		int e = errno;
		int fd = open(o->f.tmp, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
		errno = e;
		r = fd < 0 ? -EBADF : 0;
		if (fd >= 0 && !ul_fd_is(fd, o->f.dev, o->f.ino)) {
			ul_close(fd);
			r = -EBADF;
		}
		if (!r)
			o->f.fd = fd;
	} else {
		o->inherited = false;
		r = ul_outfile_open(o->path, o->mode, &o->f);
	}
	if (r) {
		o->f.fd = -1;
		fail(o, -r, " (reopening it after the program closed it); its output is lost");
		return -1;
	}
	o->borrowed = false;
	if (tiny)
		o->transient = true;
	else
		o->f.fd = ul_fd_move_high(o->f.fd, 1);
	return o->f.fd;
}

/* After a write: a transient descriptor is closed again. */
static void done_with(int id)
{
	struct out *o = &outs[id];
	if (o->transient && o->f.fd >= 0) {
		ul_close(o->f.fd);
		o->f.fd = -1;
	}
}

/* The launcher's "carry" memfd: what the owner's image before an exec
 * reported, for the image after it. Only the owner uses it. */
static int carry_fd = -2;

static int carry(void)
{
	if (carry_fd == -2) {
		int fd = ul_out_is_owner() ? ul_out_inherited("carry") : -1;
		carry_fd = fd < 0 || tiny ? fd : ul_fd_move_high(fcntl(fd, F_DUPFD_CLOEXEC, 3), 1);
	}
	return carry_fd;
}

bool ul_out_carry_load(struct ul_carry *c)
{
	int fd = carry(), e = errno;
	bool r = fd >= 0 && pread(fd, c, sizeof *c, 0) == (ssize_t)sizeof *c && c->pid == ul_getpid();
	errno = e;
	return r;
}

void ul_out_carry_save(const struct ul_carry *c)
{
	int fd = carry(), e = errno;
	if (fd >= 0 && pwrite(fd, c, sizeof *c, 0) != (ssize_t)sizeof *c)
		outs[UL_OUT_STATUS].lost++;
	errno = e;
}

ssize_t ul_out_read_back(int id, void *buf, size_t len)
{
	struct out *o = &outs[id];
	if (!o->inherited || !(o->f.flags & UL_OF_REGULAR) || !ul_fd_is(o->f.fd, o->f.dev, o->f.ino))
		return -1;
	int e = errno;
	ssize_t n = pread(o->f.fd, buf, len, 0);
	errno = e;
	return n;
}

int ul_out_owner_pid(void)
{
	return owner_pid;
}

bool ul_out_is_owner(void)
{
	return owner_pid == ul_getpid();
}

/* Is this output's file this process's alone? */
static bool per_process(int id)
{
	const char *pat = option_of(id);
	return pat && (ul_path_has_pid(pat) || (outs[id].mode == UL_OF_WHOLE && !ul_out_is_owner()));
}

bool ul_out_enabled(int id)
{
	return outs[id].active;
}

void ul_out_append(int id, const void *buf, size_t len)
{
	bool l = lock_outputs();
	int fd = usable(id);
	int r = fd >= 0 ? write_full(fd, buf, len) : 0;
	if (fd < 0 && outs[id].active)
		outs[id].lost++;
	else if (r)
		fail(&outs[id], r, NULL);
	done_with(id);
	unlock_outputs(l);
}

void ul_out_text(const void *buf, size_t len)
{
	if (!outs[UL_OUT_ERR].active) {
		ul_write_all(2, buf, len); /* before start-up: nothing else is open yet */
		return;
	}
	if (outs[UL_OUT_LOG].active) {
		bool l = lock_outputs();
		int fd = usable(UL_OUT_LOG);
		int r = fd >= 0 ? write_full(fd, buf, len) : EBADF;
		if (r && fd >= 0)
			fail(&outs[UL_OUT_LOG], r, "; reports go to stderr");
		else if (r)
			outs[UL_OUT_LOG].lost++;
		done_with(UL_OUT_LOG);
		unlock_outputs(l);
		if (!r)
			return;
	}
	bool l = lock_outputs();
	int fd = usable(UL_OUT_ERR);
	if (fd < 0 || write_full(fd, buf, len))
		outs[UL_OUT_ERR].lost++;
	unlock_outputs(l);
}

bool ul_out_begin(int id)
{
	struct out *o = &outs[id];
	bool l = lock_outputs();
	int fd = usable(id);
	if (fd >= 0 && (o->f.flags & UL_OF_REGULAR)) {
		int e = errno;
		if (ftruncate(fd, 0) || lseek(fd, 0, SEEK_SET) < 0) {
			fail(o, errno, NULL);
			done_with(id);
			fd = -1;
		}
		errno = e;
	} else if (fd < 0 && o->active) {
		o->lost++;
	}
	unlock_outputs(l);
	return fd >= 0;
}

void ul_out_put(int id, const void *buf, size_t len)
{
	struct out *o = &outs[id];
	if (o->f.fd < 0)
		return;
	int r = write_full(o->f.fd, buf, len);
	if (r) {
		fail(o, r, NULL);
		done_with(id);
		o->f.fd = -1;
	}
}

void ul_out_end(int id)
{
	struct out *o = &outs[id];
	if (o->f.fd >= 0 && !o->inherited && (o->f.flags & UL_OF_TEMP)) {
		int r = ul_outfile_commit(&o->f, o->path);
		if (r) {
			char extra[PATH_MAX + 40];
			snprintf(extra, sizeof extra, " (renaming %s over it); the output stays there", o->f.tmp);
			fail(o, -r, extra);
		}
	}
	done_with(id);
}

const char *ul_out_path(int id)
{
	return outs[id].active ? outs[id].path : "";
}

bool ul_out_status_ok(void)
{
	struct out *o = &outs[UL_OUT_STATUS];
	return o->active && !o->err && !o->lost;
}

void ul_out_lost_summary(char *buf, size_t len)
{
	size_t o = 0;
	buf[0] = 0;
	for (int id = UL_OUT_ERR; id < UL_OUT_N && o < len; id++) {
		struct out *x = &outs[id];
		if (!x->active || id == UL_OUT_STATUS || (!x->err && !x->lost))
			continue;
		if (x->lost)
			o += (size_t)snprintf(buf + o, len - o, "  lost: %u write%s to the %s %s: %s\n", x->lost,
					      x->lost == 1 ? "" : "s", x->what, x->path, x->err ? strerror(x->err) : "closed");
		else
			o += (size_t)snprintf(buf + o, len - o, "  not written: the %s %s: %s\n", x->what, x->path,
					      strerror(x->err));
	}
}

void ul_outputs_exit(void)
{
	for (int id = UL_OUT_LOG; id < UL_OUT_N; id++) {
		struct out *o = &outs[id];
		struct stat st, at;
		if (!o->active || o->inherited || !per_process(id) || !ul_fd_is(o->f.fd, o->f.dev, o->f.ino) ||
		    !(o->f.flags & (UL_OF_CREATED | UL_OF_TEMP)))
			continue;
		const char *p = (o->f.flags & UL_OF_TEMP) ? o->f.tmp : o->path;
		int e = errno;
		if (fstat(o->f.fd, &st) == 0 && st.st_size == 0 && lstat(p, &at) == 0 && at.st_ino == st.st_ino &&
		    at.st_dev == st.st_dev)
			unlink(p);
		errno = e;
	}
}
