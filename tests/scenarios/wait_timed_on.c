/* wait_timed=1: the timed wait of wait_timed_default counts as a
 * dependency, and the cycle through it is reported. */
// expect: wait outer_lock data_ready
// options: wait_check=1 wait_timed=1
#include "wait_timed_prog.h"
