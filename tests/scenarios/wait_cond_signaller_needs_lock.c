/* A thread waits on a condition variable while holding outer_lock; the
 * only thread that signals it takes outer_lock first. Here the signaller
 * got outer_lock before main, but the day main takes it first, neither
 * moves again. Reported by default (wait checking is on). */
// expect: wait outer_lock data_ready
// stderr: WARNING: possible deadlock through a wait detected
// stderr: signal(data_ready) after taking outer_lock
// stderr: wait(data_ready) with outer_lock held
#include "wait_cond_prog.h"
