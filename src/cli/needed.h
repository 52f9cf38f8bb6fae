#ifndef UL_CLI_NEEDED_H
#define UL_CLI_NEEDED_H
#include <stdbool.h>
#include <stddef.h>

/* Does the program (found like execvp) name a library starting with
 * prefix? Its name goes to out. */
bool program_needs(const char *program, const char *prefix, char *out, size_t len);

#endif
