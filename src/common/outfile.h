/* How ulockdep creates and replaces output files, shared by the launcher
 * and the runtime (docs/output.md):
 * - a symlink is never followed: it is an error (ELOOP);
 * - a new file is created with O_EXCL;
 * - an existing regular file is replaced through a randomly named temp file
 *   in the same directory, created with O_EXCL and renamed over it;
 * - any other target (a device, a FIFO) is written in place;
 * - in a sticky shared directory (/tmp) an existing file of another user is
 *   refused (EPERM);
 * - a path is never truncated: too long is ENAMETOOLONG.
 * Every function keeps errno and returns 0 or -errno. */
#ifndef UL_OUTFILE_H
#define UL_OUTFILE_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define UL_OF_STREAM  1   /* appended to: log, JSON lines */
#define UL_OF_WHOLE   2   /* rewritten whole: SARIF, graph */
#define UL_OF_CREATED 4   /* the target did not exist: we created it */
#define UL_OF_REGULAR 8   /* a regular file: rewritten with ftruncate */
#define UL_OF_TEMP    16  /* fd is the temp file tmp, renamed over the target to commit */

struct ul_openfile {
	int fd;
	int flags;
	unsigned long dev, ino;
	char tmp[PATH_MAX];
};

/* FNV-1a of a string: the launcher's ULOCKDEP_OPTIONS, recognised by the runtime. */
unsigned long long ul_hash_str(const char *s);
/* Does pattern name the pid (%p, not %%p)? */
bool ul_path_has_pid(const char *pattern);
/* pattern with %p replaced by pid and %% by %, made absolute against the current
 * directory; insert (if any) goes before the last '.' of the file name,
 * append (if any) at the end. -ENAMETOOLONG if it does not fit in len. */
int ul_path_make(const char *pattern, int pid, const char *insert, const char *append, char *out, size_t len);
int ul_outfile_open(const char *path, int mode, struct ul_openfile *f);
/* Rename the temp file over its target (UL_OF_TEMP). */
int ul_outfile_commit(struct ul_openfile *f, const char *path);
/* Below this RLIMIT_NOFILE soft limit every descriptor is the program's:
 * ulockdep keeps none of its own (docs/output.md). */
#define UL_FD_TINY 256
/* The lowest descriptor ulockdep may keep: min(limit, 1024) - 64, or -1
 * when the limit is below UL_FD_TINY. */
int ul_fd_floor(void);
/* Move fd to a descriptor at or above ul_fd_floor(), away from the numbers
 * a program expects to get from open(). Returns the new fd (the old one is
 * closed) or the old one if that fails or the limit is tiny. */
int ul_fd_move_high(int fd, int cloexec);
/* Does fd still refer to the file dev/ino? */
int ul_fd_is(int fd, unsigned long dev, unsigned long ino);

#endif
