/* A thread waits on a condition variable while holding outer_lock; the
 * thread that signals it takes outer_lock first. Here the two never meet
 * (the signal that takes the lock comes later), but the day the signaller
 * reaches outer_lock while the waiter sleeps, neither moves again. */
// expect: wait outer_lock data_ready
// options: wait_check=1
// stderr: WARNING: possible deadlock through a wait detected
// stderr: signal(data_ready) after taking outer_lock
// stderr: wait(data_ready) with outer_lock held
#include "wait_cond_prog.h"
