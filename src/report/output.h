/* Where reports go: the private copy of stderr, the log, JSON, SARIF and
 * graph files and the launcher's report counter. Opened at start-up (or
 * inherited from the launcher), checked before every write, reopened by
 * absolute path when the program closed them (docs/output.md). */
#ifndef UL_OUTPUT_H
#define UL_OUTPUT_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

enum ul_out_id { UL_OUT_ERR, UL_OUT_LOG, UL_OUT_JSON, UL_OUT_SARIF, UL_OUT_DOT, UL_OUT_GJSON, UL_OUT_STATUS,
		 UL_OUT_N };

/* At start-up; may end the process with status 1 on a bad path. */
void ul_outputs_init(void);
void ul_outputs_after_fork(void);
/* At exit: remove per-process files this process created and left empty. */
void ul_outputs_exit(void);

bool ul_out_enabled(int id);
/* A descriptor the launcher opened for key ("supp0"), still the same file,
 * or -1. It stays the launcher's: read it with pread, never close it. */
int ul_out_inherited(const char *key);
/* The process the launcher started (or, bare, the first one). */
bool ul_out_is_owner(void);
int ul_out_owner_pid(void);
/* Text: the log file if one is set, else the private stderr. */
void ul_out_text(const void *buf, size_t len);
/* One write to an appended output (JSON lines, status). */
void ul_out_append(int id, const void *buf, size_t len);
/* A whole-file output: begin empties it, put appends, end commits. */
bool ul_out_begin(int id);
void ul_out_put(int id, const void *buf, size_t len);
void ul_out_end(int id);
/* The path an output goes to, for the summary ("" if none). */
const char *ul_out_path(int id);
/* Lines naming every output that lost data, and why. */
void ul_out_lost_summary(char *buf, size_t len);
/* Did the launcher get every report count? If not, the runtime applies
 * --exitcode itself. */
bool ul_out_status_ok(void);

/* What the owner reported before it exec'ed a new image (the launcher's
 * "carry" memfd): the new image goes on counting from there. */
struct ul_carry {
	int pid;
	unsigned images; /* images of the owner before this one */
	unsigned nreports, nsuppressed, kinds[16];
};
bool ul_out_carry_load(struct ul_carry *c);
void ul_out_carry_save(const struct ul_carry *c);
/* Read an inherited whole-file output back from its start (the SARIF
 * an earlier image of the owner wrote); -1 if it is not a regular file. */
ssize_t ul_out_read_back(int id, void *buf, size_t len);

#endif
