/* The graph-db hand-over between the launcher (which owns the SQLite
 * database) and the runtime (which links only libc).
 *
 * Snapshot (launcher -> runtime, read at start; cached next to the
 * database as FILE-snapshot while the database's generation is unchanged):
 *   header, classes[nclasses], runs[nruns], edges[nedges], strings
 * with every string an offset into the string area (NUL-terminated).
 *
 * Dump (runtime -> launcher, written at exit): text lines of
 * tab-separated fields, '\\', tab and newline escaped as \\\\, \\t, \\n:
 *   ulockdep-deps 1
 *   run <pid> <unix time> <host> <program> <argv>
 *   module <name> <build id> <path>
 *   class <n> <kind> <stable key> <name>
 *   edge <from n> <to n> <types> <first stack, one frame a line>
 */
#ifndef UL_SNAPSHOT_H
#define UL_SNAPSHOT_H
#include <stdint.h>

#define UL_SNAP_MAGIC "ULDSNAP1"
#define UL_DUMP_MAGIC "ulockdep-deps 1"
#define UL_GRAPH_DIR_ENV "ULOCKDEP_GRAPH_DIR"
/* a ready snapshot to read instead of DIR/snapshot (the cache FILE-snapshot) */
#define UL_GRAPH_SNAP_ENV "ULOCKDEP_GRAPH_SNAPSHOT"

struct ul_snap_hdr {
	char magic[8];
	uint32_t nclasses, nruns, nedges, pad;
	uint64_t strsz;
	uint64_t generation; /* the database's, when it was taken */
};

struct ul_snap_class {
	uint32_t key;   /* stable key (string offset) */
	uint32_t kind;
};

struct ul_snap_run {
	uint32_t program, host, argv;
	int32_t pid;
	int64_t time;
};

struct ul_snap_edge {
	uint32_t from, to; /* class indices */
	uint32_t run;      /* run index that first recorded it */
	uint32_t stack;    /* string offset: symbolised stack text */
	uint32_t types;
};

#endif
