/* The graph database (SQLite, WAL mode): open and migrate, the snapshot
 * handed to the runtime, the merge of a run's new dependencies (with the
 * age-out rule), and `ulockdep db merge/stats/baseline/...`.
 * The schema is plain SQL (docs/graph-db.md). */
#define _GNU_SOURCE
#include "db.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../common/snapshot.h"

#define APP_ID 0x554c4450 /* "ULDP" */

bool db_busy;
bool db_io;

/* Migrations: step N brings a version N-1 database to version N. */
static const char *const migrations[UL_DB_SCHEMA + 1] = {
	[1] = "CREATE TABLE schema_version(version INTEGER NOT NULL);"
	      "INSERT INTO schema_version VALUES(0);"
	      "CREATE TABLE runs(id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, program TEXT NOT NULL,"
	      " argv TEXT NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL, time INTEGER NOT NULL);"
	      "CREATE TABLE classes(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, kind INTEGER NOT NULL,"
	      " module TEXT NOT NULL, name TEXT NOT NULL);"
	      "CREATE TABLE deps(from_class INTEGER NOT NULL REFERENCES classes(id),"
	      " to_class INTEGER NOT NULL REFERENCES classes(id), types INTEGER NOT NULL,"
	      " run INTEGER NOT NULL REFERENCES runs(id), stack TEXT NOT NULL,"
	      " PRIMARY KEY(from_class, to_class)) WITHOUT ROWID;",
	/* 2: module builds, for the age-out rule */
	[2] = "CREATE TABLE modules(name TEXT PRIMARY KEY, build_id TEXT NOT NULL, path TEXT NOT NULL);"
	      "ALTER TABLE classes ADD COLUMN build_id TEXT NOT NULL DEFAULT '';"
	      "CREATE INDEX classes_module ON classes(module);"
	      "CREATE INDEX deps_to ON deps(to_class);"
	      /* bumped by every change to classes or dependencies: a snapshot
	       * taken at the same generation is still good */
	      "CREATE TABLE generation(n INTEGER NOT NULL);"
	      "INSERT INTO generation VALUES(1);",
};

int db_fail(sqlite3 *db, const char *path, const char *what)
{
	int code = db ? sqlite3_errcode(db) : SQLITE_ERROR;
	const char *msg = db ? sqlite3_errmsg(db) : "out of memory";
	if (code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_READONLY ||
	    code == SQLITE_PERM)
		db_io = true;
	if (code == SQLITE_BUSY) {
		db_busy = true;
		fprintf(stderr, "ulockdep: %s: the database stayed locked longer than graph_db_timeout_ms (%s)\n", path,
			what);
	} else if (code == SQLITE_NOTADB)
		fprintf(stderr, "ulockdep: %s: not a ulockdep graph database (%s)\n", path, msg);
	else if (code == SQLITE_CORRUPT)
		fprintf(stderr, "ulockdep: %s: the graph database is corrupt (%s)\n", path, msg);
	else
		fprintf(stderr, "ulockdep: %s: %s: %s\n", path, what, msg);
	return -1;
}

static int exec(sqlite3 *db, const char *path, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : db_fail(db, path, "query failed");
}

static long long query_int(sqlite3 *db, const char *sql, int *rc)
{
	sqlite3_stmt *st;
	long long v = 0;
	*rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (*rc != SQLITE_OK)
		return 0;
	*rc = sqlite3_step(st);
	if (*rc == SQLITE_ROW) {
		v = sqlite3_column_int64(st, 0);
		*rc = SQLITE_OK;
	} else if (*rc == SQLITE_DONE) {
		*rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return v;
}

/* Bring the schema to UL_DB_SCHEMA, inside one write transaction (so two
 * processes creating one database at once do it once). */
static int db_migrate(sqlite3 *db, const char *path)
{
	int rc;
	/* the common case reads only: a current database */
	if (query_int(db, "PRAGMA application_id", &rc) == APP_ID && !rc &&
	    query_int(db, "SELECT version FROM schema_version", &rc) == UL_DB_SCHEMA && !rc)
		return 0;
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return db_fail(db, path, "cannot read");
	if (exec(db, path, "BEGIN IMMEDIATE"))
		return -1;
	long long app = query_int(db, "PRAGMA application_id", &rc);
	long long ntab = rc ? 0 : query_int(db, "SELECT count(*) FROM sqlite_master", &rc);
	long long ver = 0;
	if (rc)
		goto fail;
	if (app != APP_ID && ntab) {
		fprintf(stderr, "ulockdep: %s: a SQLite database, but not a ulockdep graph database\n", path);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (ntab) {
		ver = query_int(db, "SELECT version FROM schema_version", &rc);
		if (rc)
			goto fail;
	}
	if (ver > UL_DB_SCHEMA) {
		fprintf(stderr, "ulockdep: %s: schema version %lld is newer than this ulockdep reads (%d)\n", path,
			ver, UL_DB_SCHEMA);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	for (long long v = ver + 1; v <= UL_DB_SCHEMA; v++) {
		char sql[96];
		if (sqlite3_exec(db, migrations[v], NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
		snprintf(sql, sizeof sql, "UPDATE schema_version SET version=%lld", v);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (app != APP_ID) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA application_id=%d", APP_ID);
		if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			goto fail;
	}
	if (exec(db, path, "COMMIT"))
		return -1;
	return 0;
fail:
	db_fail(db, path, "cannot read or update the schema");
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

sqlite3 *db_open(const char *path, bool create, long timeout_ms)
{
	struct stat st;
	bool created = lstat(path, &st) != 0;
	if (!created) {
		if (S_ISLNK(st.st_mode)) {
			fprintf(stderr, "ulockdep: %s: is a symbolic link; give the real path of the database\n", path);
			return NULL;
		}
		if (!S_ISREG(st.st_mode)) {
			fprintf(stderr, "ulockdep: %s: not a regular file\n", path);
			return NULL;
		}
	} else if (errno != ENOENT || !create) {
		fprintf(stderr, "ulockdep: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	/* a file or directory we may not write: read it as it is */
	char dir[4096];
	const char *slash = strrchr(path, '/');
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	bool ro = !created && (access(path, W_OK) || access(dir, W_OK));
	sqlite3 *db = NULL;
	int flags = (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | (create ? SQLITE_OPEN_CREATE : 0) |
		    SQLITE_OPEN_NOFOLLOW;
	if (ro)
		flags &= ~SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
		db_fail(db, path, "cannot open");
		sqlite3_close(db);
		return NULL;
	}
	int rc;
	if (ro && (query_int(db, "SELECT count(*) FROM sqlite_master", &rc), rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN)) {
		/* WAL needs a -shm file the directory cannot hold: no writer can
		 * be at work here, so read the file without locking */
		sqlite3_close(db);
		db = NULL;
		char uri[3 * 4096 + 32];
		size_t o = (size_t)snprintf(uri, sizeof uri, "file:");
		for (const unsigned char *p = (const unsigned char *)path; *p && o + 4 < sizeof uri; p++)
			o += (size_t)(isalnum(*p) || strchr("/._-", *p) ? snprintf(uri + o, 2, "%c", *p)
									 : snprintf(uri + o, 4, "%%%02X", *p));
		snprintf(uri + o, sizeof uri - o, "?immutable=1");
		if (sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW, NULL) !=
		    SQLITE_OK) {
			db_fail(db, path, "cannot open");
			sqlite3_close(db);
			return NULL;
		}
	}
	static bool said_ro;
	if (ro && !said_ro) {
		said_ro = true;
		fprintf(stderr, "ulockdep: %s: the file or its directory is not writable: read only, nothing is "
				"written to it\n", path);
	}
	sqlite3_busy_timeout(db, timeout_ms > 0 ? (int)timeout_ms : 0);
	sqlite3_extended_result_codes(db, 0);
	if (db_migrate(db, path)) {
		sqlite3_close(db);
		/* a file this call made and could not fill (a full disk) goes */
		if (created && !lstat(path, &st) && S_ISREG(st.st_mode) && !st.st_size)
			unlink(path);
		return NULL;
	}
	/* WAL: readers never block the writer; many processes merge at once */
	if (!ro)
		sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL", NULL, NULL, NULL);
	return db;
}

FILE *db_create_out(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "ulockdep: %s: not a regular file; not replaced\n", path);
		return NULL;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "ulockdep: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	return f;
}

/* ---- snapshot: the database as the runtime reads it ---- */

struct strs {
	char *p;
	size_t len, cap;
};

static uint32_t str_add(struct strs *s, const char *v)
{
	size_t n = strlen(v ? v : "") + 1;
	if (s->len + n > s->cap) {
		s->cap = (s->len + n) * 2;
		s->p = realloc(s->p, s->cap);
		if (!s->p)
			exit(1);
	}
	memcpy(s->p + s->len, v ? v : "", n);
	uint32_t off = (uint32_t)s->len;
	s->len += n;
	return off;
}

static void *grow(void *p, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return p;
	*cap = *cap ? *cap * 2 : 1024;
	p = realloc(p, *cap * size);
	if (!p)
		exit(1);
	return p;
}

static int write_snapshot(sqlite3 *db, const char *path, const char *out, long long *gen)
{
	sqlite3_stmt *st = NULL;
	struct strs s = { 0 };
	struct ul_snap_class *cls = NULL;
	struct ul_snap_run *runs = NULL;
	struct ul_snap_edge *edges = NULL;
	uint32_t *cidx = NULL, *ridx = NULL;
	size_t ncls = 0, ccap = 0, nruns = 0, rcap = 0, nedges = 0, ecap = 0, cmax = 0, rmax = 0;
	int ret = -1;
	str_add(&s, "");
	if (exec(db, path, "BEGIN"))
		return -1;
	int grc;
	*gen = query_int(db, "SELECT n FROM generation", &grc);
	if (grc || sqlite3_prepare_v2(db, "SELECT id, key, kind FROM classes", -1, &st, NULL))
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		cls = grow(cls, ncls, &ccap, sizeof *cls);
		size_t id = (size_t)sqlite3_column_int64(st, 0);
		cidx = grow(cidx, id, &cmax, sizeof *cidx);
		cidx[id] = (uint32_t)ncls + 1;
		cls[ncls++] = (struct ul_snap_class){ str_add(&s, (const char *)sqlite3_column_text(st, 1)),
						      (uint32_t)sqlite3_column_int(st, 2) };
	}
	if (sqlite3_finalize(st) || sqlite3_prepare_v2(db, "SELECT id, program, host, argv, pid, time FROM runs "
					    "WHERE id IN (SELECT DISTINCT run FROM deps)", -1, &st, NULL))
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		runs = grow(runs, nruns, &rcap, sizeof *runs);
		size_t id = (size_t)sqlite3_column_int64(st, 0);
		ridx = grow(ridx, id, &rmax, sizeof *ridx);
		ridx[id] = (uint32_t)nruns + 1;
		runs[nruns++] = (struct ul_snap_run){ str_add(&s, (const char *)sqlite3_column_text(st, 1)),
						      str_add(&s, (const char *)sqlite3_column_text(st, 2)),
						      str_add(&s, (const char *)sqlite3_column_text(st, 3)),
						      sqlite3_column_int(st, 4), sqlite3_column_int64(st, 5) };
	}
	if (sqlite3_finalize(st) ||
	    sqlite3_prepare_v2(db, "SELECT from_class, to_class, run, types, stack FROM deps", -1, &st, NULL))
		goto fail;
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t f = (size_t)sqlite3_column_int64(st, 0), t = (size_t)sqlite3_column_int64(st, 1);
		size_t r = (size_t)sqlite3_column_int64(st, 2);
		if (f >= cmax || t >= cmax || !cidx[f] || !cidx[t])
			continue;
		edges = grow(edges, nedges, &ecap, sizeof *edges);
		edges[nedges++] = (struct ul_snap_edge){ cidx[f] - 1, cidx[t] - 1,
							 r < rmax && ridx[r] ? ridx[r] - 1 : UINT32_MAX,
							 str_add(&s, (const char *)sqlite3_column_text(st, 4)),
							 (uint32_t)sqlite3_column_int(st, 3) };
	}
	if (sqlite3_finalize(st))
		goto fail;
	st = NULL;
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	int fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		fprintf(stderr, "ulockdep: %s: %s\n", out, strerror(errno));
		goto out;
	}
	struct ul_snap_hdr h = { UL_SNAP_MAGIC, (uint32_t)ncls, (uint32_t)nruns, (uint32_t)nedges, 0, s.len,
				 (uint64_t)*gen };
	fwrite(&h, sizeof h, 1, f);
	fwrite(cls, sizeof *cls, ncls, f);
	fwrite(runs, sizeof *runs, nruns, f);
	fwrite(edges, sizeof *edges, nedges, f);
	fwrite(s.p, 1, s.len, f);
	ret = fclose(f) ? -1 : 0;
	goto out;
fail:
	db_fail(db, path, "cannot read the graph");
	sqlite3_finalize(st);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
out:
	free(s.p);
	free(cls);
	free(runs);
	free(edges);
	free(cidx);
	free(ridx);
	return ret;
}

/* The snapshot cached next to the database (FILE-snapshot), if it was
 * taken at the database's current generation. */
static bool cache_good(sqlite3 *db, const char *cache)
{
	int rc, fd = open(cache, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct ul_snap_hdr h;
	struct stat st;
	bool ok = fd >= 0 && !fstat(fd, &st) && S_ISREG(st.st_mode) && read(fd, &h, sizeof h) == sizeof h &&
		  !memcmp(h.magic, UL_SNAP_MAGIC, 8);
	if (fd >= 0)
		close(fd);
	return ok && (long long)h.generation == query_int(db, "SELECT n FROM generation", &rc) && !rc;
}

int db_run_prepare(const char *path, long timeout_ms, const char *dir, bool cache)
{
	sqlite3 *db = db_open(path, true, timeout_ms);
	if (!db)
		return -1;
	char out[4096], cpath[4096], tmp[4200];
	if ((size_t)snprintf(cpath, sizeof cpath, "%s-snapshot", path) >= sizeof cpath)
		cache = false; /* never a truncated path */
	struct stat st;
	if (cache && lstat(cpath, &st) == 0 && !S_ISREG(st.st_mode))
		cache = false; /* not ours to replace */
	if (cache && sqlite3_db_readonly(db, "main") == 1 && !cache_good(db, cpath))
		cache = false; /* a read-only directory: a private snapshot */
	if (cache && cache_good(db, cpath)) {
		sqlite3_close(db);
		setenv(UL_GRAPH_SNAP_ENV, cpath, 1);
		return 0;
	}
	snprintf(tmp, sizeof tmp, "%s.tmp.%d", cpath, (int)getpid());
	snprintf(out, sizeof out, "%s/snapshot", dir);
	long long gen;
	int r = write_snapshot(db, path, cache ? tmp : out, &gen);
	if (cache && r == 0 && rename(tmp, cpath) == 0) {
		setenv(UL_GRAPH_SNAP_ENV, cpath, 1);
	} else if (cache) { /* the database's directory is read-only: keep it private */
		unlink(tmp);
		r = write_snapshot(db, path, out, &gen);
	}
	sqlite3_close(db);
	return r;
}

/* ---- merging a run's dump ---- */

/* Keep the edge's first sighting: the earlier run (time, then uuid), so
 * the result does not depend on the order of merges. */
#define DEP_UPSERT \
	" ON CONFLICT(from_class, to_class) DO UPDATE SET types = deps.types | excluded.types," \
	" run = CASE WHEN " EARLIER " THEN excluded.run ELSE deps.run END," \
	" stack = CASE WHEN " EARLIER " THEN excluded.stack ELSE deps.stack END" \
	" WHERE deps.types | excluded.types <> deps.types OR " EARLIER
#define EARLIER \
	"(SELECT a.time < b.time OR (a.time = b.time AND a.uuid < b.uuid) FROM runs a, runs b" \
	" WHERE a.id = excluded.run AND b.id = deps.run)"

static char *unescape(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\\' && r[1]) {
			r++;
			*w++ = *r == 't' ? '\t' : *r == 'n' ? '\n' : *r;
		} else {
			*w++ = *r;
		}
	}
	*w = 0;
	return s;
}

/* Split a line into tab-separated fields (unescaped in place). */
static int fields(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line; n < max;) {
		char *t = strchr(p, '\t');
		if (t)
			*t = 0;
		f[n++] = unescape(p);
		if (!t)
			break;
		p = t + 1;
	}
	return n;
}

static char *read_all(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (buf)
		buf[got] = 0;
	*len = got;
	return buf;
}

/* Age-out: a module seen with a new build id drops the classes of its
 * older builds that the new build no longer has (the symbol is gone, or the
 * key was an offset into the old build); the rest move to the new build. */
static int age_out(sqlite3 *db, const char *path, const char *mod, const char *bid, const char *file,
		   long *dropped)
{
	sqlite3_stmt *q = NULL, *upd = NULL, *dd = NULL, *dc = NULL;
	struct elf_syms *syms = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(db, "SELECT id, key FROM classes WHERE module = ?1 AND build_id <> ?2", -1, &q, NULL) ||
	    sqlite3_prepare_v2(db, "UPDATE classes SET build_id = ?2 WHERE id = ?1", -1, &upd, NULL) ||
	    sqlite3_prepare_v2(db, "DELETE FROM deps WHERE from_class = ?1 OR to_class = ?1", -1, &dd, NULL) ||
	    sqlite3_prepare_v2(db, "DELETE FROM classes WHERE id = ?1", -1, &dc, NULL))
		goto out;
	sqlite3_bind_text(q, 1, mod, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, bid, -1, SQLITE_STATIC);
	while (sqlite3_step(q) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(q, 0);
		const char *key = (const char *)sqlite3_column_text(q, 1);
		if (!syms)
			syms = elf_syms_load(file);
		if (!syms)
			break; /* the new build cannot be read: keep everything */
		sqlite3_stmt *s = elf_key_exists(syms, key) ? upd : dd;
		sqlite3_bind_int64(s, 1, id);
		if (s == upd)
			sqlite3_bind_text(s, 2, bid, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			goto out;
		sqlite3_reset(s);
		if (s == dd) {
			sqlite3_bind_int64(dc, 1, id);
			if (sqlite3_step(dc) != SQLITE_DONE)
				goto out;
			sqlite3_reset(dc);
			(*dropped)++;
		}
	}
	rc = 0;
out:
	if (rc)
		db_fail(db, path, "age-out failed");
	elf_syms_free(syms);
	sqlite3_finalize(q);
	sqlite3_finalize(upd);
	sqlite3_finalize(dd);
	sqlite3_finalize(dc);
	return rc;
}

/* Merge one dump in the current transaction. Returns -1 on a database
 * error, 0 otherwise (a malformed dump is skipped with a notice). */
static int ingest_dump(sqlite3 *db, const char *path, const char *dump, long *ndeps, long *dropped)
{
	size_t len;
	char *buf = read_all(dump, &len);
	if (!buf || strncmp(buf, UL_DUMP_MAGIC "\n", sizeof UL_DUMP_MAGIC)) {
		fprintf(stderr, "ulockdep: %s: not a dependency dump; skipped\n", dump);
		free(buf);
		return 0;
	}
	sqlite3_stmt *run = NULL, *mod = NULL, *modq = NULL, *cls = NULL, *dep = NULL;
	int rc = -1;
	long long run_id = 0;
	long bad = 0;
	size_t cap = 0;
	long long *ids = NULL;
	char *(*bids)[2] = NULL; /* module name, build id */
	size_t nbids = 0, bcap = 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO runs(uuid, program, argv, pid, host, time) VALUES(?,?,?,?,?,?) "
			       "RETURNING id", -1, &run, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO modules(name, build_id, path) VALUES(?1,?2,?3) ON CONFLICT(name) "
			       "DO UPDATE SET build_id = ?2, path = ?3", -1, &mod, NULL) ||
	    sqlite3_prepare_v2(db, "SELECT build_id FROM modules WHERE name = ?", -1, &modq, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO classes(key, kind, module, name, build_id) VALUES(?1,?2,?3,?4,?5) "
			       "ON CONFLICT(key) DO UPDATE SET build_id = ?5 RETURNING id", -1, &cls, NULL) ||
	    sqlite3_prepare_v2(db, "INSERT INTO deps(from_class, to_class, types, run, stack) VALUES(?,?,?,?,?)"
			       DEP_UPSERT, -1, &dep, NULL))
		goto out;
	for (char *line = buf + sizeof UL_DUMP_MAGIC, *nl; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break; /* a cut last line: the writer died */
		*nl = 0;
		char *f[8];
		int n = fields(line, f, 8);
		if (!strcmp(f[0], "run") && n == 6) {
			unsigned char rnd[8] = { 0 };
			char uuid[512];
			if (getrandom(rnd, sizeof rnd, 0) < 0)
				memset(rnd, 0, sizeof rnd);
			snprintf(uuid, sizeof uuid, "%s/%s/%s/%02x%02x%02x%02x%02x%02x%02x%02x", f[3], f[1], f[2], rnd[0],
				 rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
			sqlite3_bind_text(run, 1, uuid, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(run, 2, f[4], -1, SQLITE_STATIC);
			sqlite3_bind_text(run, 3, f[5], -1, SQLITE_STATIC);
			sqlite3_bind_int(run, 4, atoi(f[1]));
			sqlite3_bind_text(run, 5, f[3], -1, SQLITE_STATIC);
			sqlite3_bind_int64(run, 6, atoll(f[2]));
			if (sqlite3_step(run) != SQLITE_ROW)
				goto out;
			run_id = sqlite3_column_int64(run, 0);
			sqlite3_reset(run);
		} else if (!strcmp(f[0], "module") && n == 4) {
			sqlite3_bind_text(modq, 1, f[1], -1, SQLITE_STATIC);
			int s = sqlite3_step(modq);
			bool rebuilt = s == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(modq, 0), f[2]);
			sqlite3_reset(modq);
			if (rebuilt && age_out(db, path, f[1], f[2], f[3], dropped))
				goto out;
			sqlite3_bind_text(mod, 1, f[1], -1, SQLITE_STATIC);
			sqlite3_bind_text(mod, 2, f[2], -1, SQLITE_STATIC);
			sqlite3_bind_text(mod, 3, f[3], -1, SQLITE_STATIC);
			if (sqlite3_step(mod) != SQLITE_DONE)
				goto out;
			sqlite3_reset(mod);
			bids = grow(bids, nbids, &bcap, sizeof *bids);
			bids[nbids][0] = f[1];
			bids[nbids++][1] = f[2];
		} else if (!strcmp(f[0], "class") && n == 5) {
			size_t k = strtoul(f[1], NULL, 10);
			char m[256] = "";
			const char *at = strpbrk(f[3], "!@");
			if (at && at - f[3] > 2 && at - f[3] - 2 < (long)sizeof m)
				snprintf(m, sizeof m, "%.*s", (int)(at - f[3] - 2), f[3] + 2);
			const char *bid = "";
			for (size_t i = 0; i < nbids; i++)
				if (!strcmp(bids[i][0], m))
					bid = bids[i][1];
			sqlite3_bind_text(cls, 1, f[3], -1, SQLITE_STATIC);
			sqlite3_bind_int(cls, 2, atoi(f[2]));
			sqlite3_bind_text(cls, 3, m, -1, SQLITE_STATIC);
			sqlite3_bind_text(cls, 4, f[4], -1, SQLITE_STATIC);
			sqlite3_bind_text(cls, 5, bid, -1, SQLITE_STATIC);
			if (sqlite3_step(cls) != SQLITE_ROW)
				goto out;
			if (k >= cap) {
				size_t nc = (k + 1) * 2;
				ids = realloc(ids, nc * sizeof *ids);
				if (!ids)
					exit(1);
				memset(ids + cap, 0, (nc - cap) * sizeof *ids);
				cap = nc;
			}
			ids[k] = sqlite3_column_int64(cls, 0);
			sqlite3_reset(cls);
		} else if (!strcmp(f[0], "edge") && n == 5 && run_id) {
			size_t a = strtoul(f[1], NULL, 10), b = strtoul(f[2], NULL, 10);
			if (a >= cap || b >= cap || !ids[a] || !ids[b]) {
				bad++;
				continue;
			}
			sqlite3_bind_int64(dep, 1, ids[a]);
			sqlite3_bind_int64(dep, 2, ids[b]);
			sqlite3_bind_int(dep, 3, atoi(f[3]));
			sqlite3_bind_int64(dep, 4, run_id);
			sqlite3_bind_text(dep, 5, f[4], -1, SQLITE_STATIC);
			if (sqlite3_step(dep) != SQLITE_DONE)
				goto out;
			sqlite3_reset(dep);
			*ndeps += sqlite3_changes(db); /* 0 when nothing new */
		} else {
			bad++;
		}
	}
	if (bad)
		fprintf(stderr, "ulockdep: %s: %ld malformed line%s skipped\n", dump, bad, bad == 1 ? "" : "s");
	rc = 0;
out:
	if (rc)
		db_fail(db, path, "cannot merge this run's dependencies");
	sqlite3_finalize(run);
	sqlite3_finalize(mod);
	sqlite3_finalize(modq);
	sqlite3_finalize(cls);
	sqlite3_finalize(dep);
	free(ids);
	free(bids);
	free(buf);
	return rc;
}

/* Merge every dump in dir (or the one dump file dir names), in one
 * transaction; remove them and dir. */
int db_run_finish(const char *path, long timeout_ms, const char *dir)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	bool one = !lstat(dir, &st) && S_ISREG(st.st_mode);
	DIR *d = one ? NULL : opendir(dir);
	if (one) {
		names = grow(names, n, &cap, sizeof *names);
		if (!(names[n++] = strdup(dir)))
			exit(1);
	}
	for (struct dirent *e; d && (e = readdir(d));)
		if (!strncmp(e->d_name, "dump.", 5)) {
			names = grow(names, n, &cap, sizeof *names);
			if (asprintf(&names[n++], "%s/%s", dir, e->d_name) < 0)
				exit(1);
		}
	if (d)
		closedir(d);
	int rc = 0;
	if (n) {
		sqlite3 *db = db_open(path, true, timeout_ms);
		long ndeps = 0, dropped = 0;
		rc = -1;
		if (db && sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK) {
			rc = 0;
			for (size_t i = 0; i < n && !rc; i++)
				rc = ingest_dump(db, path, names[i], &ndeps, &dropped);
			if (!rc && (ndeps || dropped))
				rc = exec(db, path, "UPDATE generation SET n = n + 1");
			if (rc || sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
				if (!rc)
					db_fail(db, path, "cannot commit");
				sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
				rc = -1;
			}
		} else if (db) {
			if (sqlite3_errcode(db) == SQLITE_BUSY)
				fprintf(stderr, "ulockdep: %s: the database stayed locked longer than graph_db_timeout_ms "
						"(%ld ms): the new dependencies of this run were not merged\n", path, timeout_ms);
			else
				db_fail(db, path, "cannot start a transaction");
		}
		if (dropped)
			fprintf(stderr, "ulockdep: %s: %ld lock class%s of an older build aged out (docs/graph-db.md)\n",
				path, dropped, dropped == 1 ? "" : "es");
		sqlite3_close(db);
	}
	for (size_t i = 0; i < n; i++) {
		unlink(names[i]);
		free(names[i]);
	}
	free(names);
	if (one)
		return rc;
	char snap[4096];
	snprintf(snap, sizeof snap, "%s/snapshot", dir);
	unlink(snap);
	rmdir(dir);
	return rc;
}
