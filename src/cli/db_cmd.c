/* ulockdep db check|merge|stats|export|baseline (and the helpers the
 * runtime uses without the launcher: snapshot, ingest). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db.h"

#define TIMEOUT_MS 10000

static int usage(void)
{
	fprintf(stderr, "usage: ulockdep db check FILE [--json OUT] [--sarif OUT]\n"
			"       ulockdep db merge OUT IN...\n"
			"       ulockdep db stats FILE\n"
			"       ulockdep db export FILE (--dot|--json) OUT\n"
			"       ulockdep db baseline FILE OUT\n");
	return 1;
}

static long timeout_ms(void)
{
	const char *e = getenv("ULOCKDEP_DB_TIMEOUT_MS");
	return e && *e ? atol(e) : TIMEOUT_MS;
}

static int cmd_check(int argc, char **argv)
{
	const char *file = NULL, *json = NULL, *sarif = NULL;
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json") && i + 1 < argc)
			json = argv[++i];
		else if (!strcmp(argv[i], "--sarif") && i + 1 < argc)
			sarif = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else
			return usage();
	}
	if (!file)
		return usage();
	sqlite3 *db = db_open(file, false, timeout_ms());
	if (!db)
		return 2;
	struct db_graph *g = graph_load(db, file);
	int n = g ? graph_check(g, stdout, json, sarif, NULL) : -1;
	graph_free(g);
	sqlite3_close(db);
	if (n < 0)
		return 2;
	fprintf(stderr, "ulockdep db check %s: %d circular dependenc%s\n", file, n, n == 1 ? "y" : "ies");
	return n ? 1 : 0;
}

static int cmd_baseline(int argc, char **argv)
{
	if (argc != 2)
		return usage();
	sqlite3 *db = db_open(argv[0], false, timeout_ms());
	if (!db)
		return 2;
	struct db_graph *g = graph_load(db, argv[0]);
	int n = g ? graph_check(g, NULL, NULL, NULL, argv[1]) : -1;
	graph_free(g);
	sqlite3_close(db);
	if (n < 0)
		return 2;
	fprintf(stderr, "ulockdep db baseline: %d known problem%s written to %s\n", n, n == 1 ? "" : "s", argv[1]);
	return 0;
}

static int cmd_export(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "--dot") && strcmp(argv[1], "--json")))
		return usage();
	sqlite3 *db = db_open(argv[0], false, timeout_ms());
	if (!db)
		return 2;
	struct db_graph *g = graph_load(db, argv[0]);
	int r = g ? graph_export(g, !strcmp(argv[1], "--dot"), argv[2]) : -1;
	graph_free(g);
	sqlite3_close(db);
	return r ? 2 : 0;
}

static long long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int cmd_stats(int argc, char **argv)
{
	if (argc != 1)
		return usage();
	sqlite3 *db = db_open(argv[0], false, timeout_ms());
	if (!db)
		return 2;
	struct stat st;
	stat(argv[0], &st);
	printf("%s: ulockdep graph database, schema version %lld\n", argv[0],
	       count(db, "SELECT version FROM schema_version"));
	printf("  runs:         %lld\n", count(db, "SELECT count(*) FROM runs"));
	printf("  programs:     %lld\n", count(db, "SELECT count(DISTINCT program) FROM runs"));
	printf("  hosts:        %lld\n", count(db, "SELECT count(DISTINCT host) FROM runs"));
	printf("  modules:      %lld\n", count(db, "SELECT count(*) FROM modules"));
	printf("  lock classes: %lld\n", count(db, "SELECT count(*) FROM classes"));
	printf("  dependencies: %lld\n", count(db, "SELECT count(*) FROM deps"));
	printf("  file size:    %lld bytes\n", (long long)st.st_size);
	sqlite3_close(db);
	return 0;
}

/* OUT gets the union of the inputs: runs by uuid, classes by stable key,
 * dependencies by class pair with their types or-ed and the earliest
 * run's stack kept. Associative and commutative: shards merge in any
 * order and grouping to the same graph. */
static int cmd_merge(int argc, char **argv)
{
	if (argc < 2)
		return usage();
	/* every input is checked before OUT is made: a bad one leaves no
	 * empty or partial OUT behind */
	for (int i = 1; i < argc; i++) {
		sqlite3 *in = db_open(argv[i], false, timeout_ms());
		if (!in)
			return 2;
		sqlite3_close(in);
	}
	struct stat ost;
	bool made = lstat(argv[0], &ost) != 0;
	sqlite3 *out = db_open(argv[0], true, timeout_ms());
	if (!out)
		return 2;
	int rc = 0;
	for (int i = 1; i < argc && !rc; i++) {
		struct stat a, b;
		if (!stat(argv[0], &a) && !stat(argv[i], &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			continue; /* merging OUT into itself changes nothing */
		sqlite3 *in = db_open(argv[i], false, timeout_ms()); /* checks and migrates it */
		if (!in) {
			rc = 2;
			break;
		}
		sqlite3_close(in);
		sqlite3_stmt *at;
		if (sqlite3_prepare_v2(out, "ATTACH DATABASE ? AS src", -1, &at, NULL) != SQLITE_OK) {
			rc = db_fail(out, argv[0], "cannot attach") ? 2 : 0;
			break;
		}
		sqlite3_bind_text(at, 1, argv[i], -1, SQLITE_STATIC);
		int s = sqlite3_step(at);
		sqlite3_finalize(at);
		if (s != SQLITE_DONE) {
			db_fail(out, argv[i], "cannot attach");
			rc = 2;
			break;
		}
		static const char sql[] =
			"BEGIN IMMEDIATE;"
			"INSERT OR IGNORE INTO main.runs(uuid, program, argv, pid, host, time)"
			" SELECT uuid, program, argv, pid, host, time FROM src.runs;"
			"INSERT OR IGNORE INTO main.classes(key, kind, module, name, build_id)"
			" SELECT key, kind, module, name, build_id FROM src.classes;"
			"UPDATE main.generation SET n = n + 1;"
			"INSERT OR IGNORE INTO main.modules(name, build_id, path)"
			" SELECT name, build_id, path FROM src.modules;"
			"INSERT INTO main.deps(from_class, to_class, types, run, stack)"
			" SELECT cf.id, ct.id, d.types, r.id, d.stack FROM src.deps d"
			" JOIN src.classes sf ON sf.id = d.from_class JOIN main.classes cf ON cf.key = sf.key"
			" JOIN src.classes st ON st.id = d.to_class JOIN main.classes ct ON ct.key = st.key"
			" JOIN src.runs sr ON sr.id = d.run JOIN main.runs r ON r.uuid = sr.uuid WHERE true"
			" ON CONFLICT(from_class, to_class) DO UPDATE SET types = deps.types | excluded.types,"
			" run = CASE WHEN (SELECT a.time < b.time OR (a.time = b.time AND a.uuid < b.uuid)"
			"  FROM main.runs a, main.runs b WHERE a.id = excluded.run AND b.id = deps.run)"
			"  THEN excluded.run ELSE deps.run END,"
			" stack = CASE WHEN (SELECT a.time < b.time OR (a.time = b.time AND a.uuid < b.uuid)"
			"  FROM main.runs a, main.runs b WHERE a.id = excluded.run AND b.id = deps.run)"
			"  THEN excluded.stack ELSE deps.stack END;"
			"COMMIT;";
		if (sqlite3_exec(out, sql, NULL, NULL, NULL) != SQLITE_OK) {
			db_fail(out, argv[i], "cannot merge");
			sqlite3_exec(out, "ROLLBACK", NULL, NULL, NULL);
			rc = 2;
		}
		sqlite3_exec(out, "DETACH DATABASE src", NULL, NULL, NULL);
	}
	sqlite3_close(out);
	if (rc && made) {
		static const char *const ext[] = { "", "-wal", "-shm" };
		for (int k = 0; k < 3; k++) {
			char p[4200];
			snprintf(p, sizeof p, "%s%s", argv[0], ext[k]);
			unlink(p);
		}
		fprintf(stderr, "ulockdep db merge: %s not written\n", argv[0]);
	}
	return rc;
}

int db_main(int argc, char **argv)
{
	if (argc < 1)
		return usage();
	const char *cmd = argv[0];
	argc--;
	argv++;
	if (!strcmp(cmd, "check"))
		return cmd_check(argc, argv);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc, argv);
	if (!strcmp(cmd, "stats"))
		return cmd_stats(argc, argv);
	if (!strcmp(cmd, "export"))
		return cmd_export(argc, argv);
	if (!strcmp(cmd, "baseline"))
		return cmd_baseline(argc, argv);
	/* helpers for a runtime preloaded without the launcher */
	if (!strcmp(cmd, "snapshot") && argc == 2)
		return db_run_prepare(argv[0], timeout_ms(), argv[1], false) ? (db_busy || db_io ? 3 : 2) : 0;
	if (!strcmp(cmd, "ingest") && argc == 2)
		return db_run_finish(argv[0], timeout_ms(), argv[1]) ? 2 : 0;
	return usage();
}
