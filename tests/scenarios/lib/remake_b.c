/* Module B of dlclose_remake.c: the same code as A, loaded at A's old
 * address after A is gone. */
#include "remake_a.c"
