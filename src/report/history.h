/* --graph-db history in the runtime: dependencies recorded by earlier runs
 * seed the graph at start; this run's new ones are written at exit. The
 * launcher does the SQLite work (src/cli/db*.c). */
#ifndef UL_HISTORY_H
#define UL_HISTORY_H
#include "report_buf.h"

void ul_history_init(void);
void ul_history_exit(void);
/* Print where a historical edge came from and its stack; false if the
 * edge was recorded by this run. */
bool ul_history_edge_text(struct ul_rb *r, uint32_t edge, int indent);
uint32_t ul_history_nedges(void);
/* The core's site_class hook (struct ul_core_hooks). */
uint32_t ul_history_site_class(uint8_t origin, uintptr_t site);

#endif
