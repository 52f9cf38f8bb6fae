/* A timed wait under outer_lock whose signaller needs outer_lock: by
 * default a timed wait is not a dependency (the timeout recovers it). */
// expect: none
// options: wait_check=1
#include "wait_timed_prog.h"
