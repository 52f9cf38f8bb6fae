// sig_jump_mask.c built with _FORTIFY_SOURCE, where longjmp calls become
// __longjmp_chk.
// cflags: -O2 -D_FORTIFY_SOURCE=2
// expect: none
#include "sig_jump_mask.c"
