/* wait_check=0 turns wait checking off: the program of
 * wait_cond_signaller_needs_lock runs silent. */
// expect: none
// options: wait_check=0
#include "wait_cond_prog.h"
