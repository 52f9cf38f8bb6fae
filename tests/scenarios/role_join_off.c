/* role_join_first_use with join_roles=0: each first-use site is a class of
 * its own, and sessions locked in id order read as two classes ordered
 * both ways: reported. */
// expect: circular open_session splice
// options: join_roles=0
#include "role_join_prog.h"
