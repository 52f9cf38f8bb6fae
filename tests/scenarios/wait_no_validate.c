/* no_validate=1 (validate nothing) turns wait checking off too: the program of
 * wait_cond_signaller_needs_lock runs silent. */
// expect: none
// options: wait_check=1 no_validate=1
#include "wait_cond_prog.h"
