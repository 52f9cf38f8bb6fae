/* One role, first taken in two functions: sessions' mutexes are never
 * initialised (calloc'd, as a C++ std::mutex is constant-initialised), so
 * each lock's class is where it was first taken: open_session() for
 * sessions 1 and 3, splice() for session 2. splice() always locks the
 * lower id first, so the two classes nest in both orders but the instances
 * never do: no deadlock. The line in splice() that takes locks of both
 * classes shows they are one role, and their nesting is ordered by
 * instance. Without that (role_join_off: join_roles=0) the nesting is
 * reported as a cycle. */
// expect: none
#include "role_join_prog.h"
