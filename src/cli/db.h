/* The launcher's side of --graph-db and the `ulockdep db` commands. Only
 * the launcher links SQLite; the runtime gets a snapshot file. */
#ifndef UL_CLI_DB_H
#define UL_CLI_DB_H
#include <sqlite3.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#define UL_DB_SCHEMA 2

/* Open (and create when asked) a graph database: a symlink, a non-regular
 * file, a foreign or corrupt file is an error naming it (printed). */
sqlite3 *db_open(const char *path, bool create, long timeout_ms);
/* Print "ulockdep: FILE: what: sqlite message" and return -1. */
int db_fail(sqlite3 *db, const char *path, const char *what);
extern bool db_busy; /* the last failure was a lock wait that timed out */
extern bool db_io;   /* a failure was an I/O one (a full disk, a read-only file) */

/* --graph-db: snapshot before the run, merge the runtime's dumps after. */
int db_run_prepare(const char *path, long timeout_ms, const char *dir, bool cache);
int db_run_finish(const char *path, long timeout_ms, const char *dir);

/* ulockdep db ... */
int db_main(int argc, char **argv);

/* db_check.c */
struct db_graph;
struct db_graph *graph_load(sqlite3 *db, const char *path);
void graph_free(struct db_graph *g);
/* Offline cycle search: returns the number of cycles found; prints them in
 * the kernel layout to out (unless NULL), appends JSON lines/SARIF. */
int graph_check(struct db_graph *g, FILE *out, const char *json, const char *sarif, const char *baseline_out);
int graph_export(struct db_graph *g, bool dot, const char *out);

/* db_elf.c: does a stable key still name something in this ELF file? */
struct elf_syms;
struct elf_syms *elf_syms_load(const char *path);
bool elf_key_exists(const struct elf_syms *s, const char *key);
void elf_syms_free(struct elf_syms *s);

/* Files are the user's: create OUT only as a new regular file or replace a
 * regular one, never through a symlink. Returns NULL with a message. */
FILE *db_create_out(const char *path);

#endif
