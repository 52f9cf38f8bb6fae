#define _GNU_SOURCE
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

int ul_path_make(const char *pattern, int pid, const char *insert, const char *append, char *out, size_t len)
{
	size_t o = 0;
	int e = errno;
	if (pattern[0] != '/') {
		if (!getcwd(out, len)) {
			int r = errno == ERANGE ? -ENAMETOOLONG : -errno;
			errno = e;
			return r;
		}
		o = strlen(out);
		if (o + 1 < len && (o == 0 || out[o - 1] != '/'))
			out[o++] = '/';
	}
	for (const char *p = pattern; *p; p++) {
		char num[16];
		const char *s = num;
		if (p[0] == '%' && p[1] == 'p') {
			snprintf(num, sizeof num, "%d", pid);
			p++;
		} else if (p[0] == '%' && p[1] == '%') {
			num[0] = '%';
			num[1] = 0;
			p++;
		} else {
			num[0] = *p;
			num[1] = 0;
		}
		size_t n = strlen(s);
		if (o + n >= len)
			return -ENAMETOOLONG;
		memcpy(out + o, s, n);
		o += n;
	}
	out[o] = 0;
	if (insert && *insert) {
		char *slash = strrchr(out, '/'), *dot = strrchr(out, '.');
		size_t at = dot && dot > slash + 1 ? (size_t)(dot - out) : o, n = strlen(insert);
		if (o + n >= len)
			return -ENAMETOOLONG;
		memmove(out + at + n, out + at, o - at + 1);
		memcpy(out + at, insert, n);
		o += n;
	}
	if (append) {
		size_t n = strlen(append);
		if (o + n >= len)
			return -ENAMETOOLONG;
		memcpy(out + o, append, n + 1);
	}
	return 0;
}

unsigned long long ul_hash_str(const char *s)
{
	unsigned long long h = 1469598103934665603ull;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

bool ul_path_has_pid(const char *pattern)
{
	for (const char *p = pattern; p && *p; p++)
		if (p[0] == '%' && (p[1] == 'p' || p[1] == '%')) {
			if (p[1] == 'p')
				return true;
			p++;
		}
	return false;
}

int ul_fd_floor(void)
{
	struct rlimit rl;
	int e = errno;
	int r = getrlimit(RLIMIT_NOFILE, &rl);
	errno = e;
	if (r || rl.rlim_cur < UL_FD_TINY)
		return -1;
	return (rl.rlim_cur > 1024 ? 1024 : (int)rl.rlim_cur) - 64;
}

int ul_fd_move_high(int fd, int cloexec)
{
	int base = ul_fd_floor(), e = errno;
	if (fd < 0 || base < 0)
		return fd;
	int nfd = fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, base);
	if (nfd >= 0) {
		close(fd);
		fd = nfd;
	}
	errno = e;
	return fd;
}

int ul_fd_is(int fd, unsigned long dev, unsigned long ino)
{
	struct stat st;
	int e = errno;
	int r = fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
	errno = e;
	return r;
}

/* A sticky, world-writable directory: anyone may plant a file there.
 * *owner is the directory's owner. */
static int shared_dir(const char *path, uid_t *owner)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == dir)
		dir[1] = 0;
	else
		*slash = 0;
	struct stat st;
	if (stat(dir, &st) || !(st.st_mode & S_ISVTX) || !(st.st_mode & S_IWOTH))
		return 0;
	*owner = st.st_uid;
	return 1;
}

/* In a shared directory, a file someone else planted is refused: a
 * regular file of another user, and a FIFO, socket or device owned by
 * neither us, root nor the directory's owner (whoever reads the FIFO
 * would get our reports). */
static int planted(const char *path, const struct stat *st)
{
	uid_t me = geteuid(), dir;
	if (st->st_uid == me || !shared_dir(path, &dir))
		return 0;
	return S_ISREG(st->st_mode) || (st->st_uid != 0 && st->st_uid != dir);
}

static int finish(int fd, int flags, struct ul_openfile *f)
{
	struct stat st;
	if (fstat(fd, &st)) {
		int r = -errno;
		close(fd);
		return r;
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	f->fd = fd;
	f->flags = flags | (S_ISREG(st.st_mode) ? UL_OF_REGULAR : 0);
	f->dev = st.st_dev;
	f->ino = st.st_ino;
	return 0;
}

static int open_target(const char *path, int mode, struct ul_openfile *f)
{
	int wr = O_WRONLY | O_CLOEXEC | O_NOFOLLOW | (mode == UL_OF_STREAM ? O_APPEND : 0);
	/* a whole file of ours is readable too: the owner's image after an
	 * exec reads back what the one before wrote (mkostemp's are too) */
	int own = mode == UL_OF_WHOLE ? (wr & ~O_WRONLY) | O_RDWR : wr;
	struct stat st;
	f->fd = -1;
	f->tmp[0] = 0;
	for (int tries = 0; tries < 3; tries++) {
		if (lstat(path, &st)) {
			if (errno != ENOENT)
				return -errno;
			int fd = open(path, own | O_CREAT | O_EXCL, 0644);
			if (fd >= 0)
				return finish(fd, mode | UL_OF_CREATED, f);
			if (errno != EEXIST)
				return -errno;
			continue; /* created meanwhile: look again */
		}
		if (S_ISLNK(st.st_mode))
			return -ELOOP;
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		if (planted(path, &st))
			return -EPERM;
		if (S_ISREG(st.st_mode) && mode == UL_OF_WHOLE && st.st_size == 0 && st.st_uid == geteuid()) {
			/* our own empty file (left by a process before exec): nothing to keep */
			int fd = open(path, own | O_NONBLOCK);
			if (fd < 0)
				return -errno;
			if (ul_fd_is(fd, st.st_dev, st.st_ino))
				return finish(fd, mode | UL_OF_CREATED, f);
			close(fd);
			continue;
		}
		if (S_ISREG(st.st_mode) && mode == UL_OF_WHOLE) {
			/* replace it: a fresh temp file next to it, renamed at commit */
			int n = snprintf(f->tmp, sizeof f->tmp, "%s", path);
			char *slash = strrchr(f->tmp, '/');
			const char *base = slash ? slash + 1 : f->tmp;
			char name[NAME_MAX + 1];
			snprintf(name, sizeof name, ".%.*s.XXXXXX", NAME_MAX - 8, base);
			size_t at = (size_t)(base - f->tmp);
			if ((size_t)n >= sizeof f->tmp || at + strlen(name) >= sizeof f->tmp) {
				f->tmp[0] = 0;
				return -ENAMETOOLONG;
			}
			strcpy(f->tmp + at, name);
			int fd = mkostemp(f->tmp, O_CLOEXEC);
			if (fd < 0) {
				f->tmp[0] = 0;
				return -errno;
			}
			fchmod(fd, st.st_mode & 0777);
			return finish(fd, mode | UL_OF_TEMP, f);
		}
		/* existing regular file to append to, or a device or FIFO: in place;
		 * O_NONBLOCK so a FIFO without a reader fails instead of hanging */
		int fd = open(path, wr | O_NONBLOCK);
		if (fd < 0)
			return -errno;
		struct stat now;
		if (fstat(fd, &now) || now.st_dev != st.st_dev || now.st_ino != st.st_ino) {
			close(fd);
			continue; /* swapped under us */
		}
		return finish(fd, mode, f);
	}
	return -EAGAIN;
}

int ul_outfile_open(const char *path, int mode, struct ul_openfile *f)
{
	int e = errno;
	int r = strlen(path) >= PATH_MAX ? -ENAMETOOLONG : open_target(path, mode, f);
	errno = e;
	return r;
}

int ul_outfile_commit(struct ul_openfile *f, const char *path)
{
	if (!(f->flags & UL_OF_TEMP))
		return 0;
	int e = errno, r = 0;
	if (rename(f->tmp, path))
		r = -errno;
	else
		f->flags &= ~UL_OF_TEMP;
	errno = e;
	return r;
}
