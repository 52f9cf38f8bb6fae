#define _GNU_SOURCE
/* Signal handlers run in a tracked "signal context" (the kernel's hard-IRQ
 * context); the per-thread mask says which signals are "enabled". */
#include <stdlib.h>
#include <sys/syscall.h>
#include <setjmp.h>
#include <ucontext.h>
#include <string.h>
#include <unistd.h>

#include "../report/report.h"
#include "interpose.h"

#define NSIG_TRACK 65

struct slot {
	void (*info)(int, siginfo_t *, void *); /* SA_SIGINFO handlers */
	void (*plain)(int);
	int flags;
	uint64_t mask;
};

static struct slot slots[NSIG_TRACK];
static int dump_sig;

static uint64_t mask_bits(const sigset_t *s)
{
	uint64_t m;
	memcpy(&m, s, sizeof m);
	return m;
}

static void dump_handler(void)
{
	ul_report_show_all_held(-1);
}

static bool is_fault(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGTRAP || sig == SIGSYS;
}

/* A fault signal with no program handler reached the trampoline (the
 * option parser refuses faults as the dump signal; this is the guard if
 * it ever happens): returning would run the faulting instruction again
 * forever. Put the default action back and let it act, once. */
static void fault_default(int sig, const siginfo_t *si)
{
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	REAL(sigaction)(sig, &dfl, NULL);
	if (!si || si->si_code <= 0) /* sent by kill/raise: the fault will not recur by itself */
		syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), sig);
}

static void trampoline(int sig, siginfo_t *si, void *uc)
{
	struct ul_thread *t = ul_self;
	struct slot s = slots[sig];
	if (is_fault(sig) && !(s.flags & SA_SIGINFO ? (void *)s.info : (void *)s.plain)) {
		static _Atomic int dumped;
		if (sig == dump_sig && t && !t->busy && !atomic_exchange(&dumped, 1))
			dump_handler();
		fault_default(sig, si);
		return;
	}
	if (!t && !ul_self_state && atomic_load(&ul_init_state) == 2 && uc) {
		/* A new thread before its start routine (glibc unblocks signals
		 * early in start_thread): give it its state now, with the mask
		 * of the code the signal interrupted. Not while the thread is
		 * being set up or torn down (ul_self_state). */
		t = ul_thread_get();
		if (t) {
			t->sig_blocked = mask_bits(&((ucontext_t *)uc)->uc_sigmask);
			ul_thread_mask_changed(t);
		}
	}
	if (!t) {
		if (s.flags & SA_SIGINFO)
			s.info(sig, si, uc);
		else if (s.plain)
			s.plain(sig);
		return;
	}
	int e = errno;
#if defined(__x86_64__)
	/* handlers left earlier by siglongjmp: the interrupted code runs in a
	 * shallower frame than their trampolines did */
	if (t->ctx && uc)
		ul_ctx_left_at(t, (uintptr_t)((ucontext_t *)uc)->uc_mcontext.gregs[REG_RSP]);
#endif
	uint8_t untracked = t->ctx_untracked;
	int cur = t->cur_sig;
	uint64_t blocked = t->sig_blocked;
	if (t->busy)
		t->ctx_untracked++; /* it interrupted the runtime itself */
	if (t->ctx < UL_ARRAY_SIZE(t->frames)) {
		/* this frame: any later call from a shallower one means the
		 * handler was left by a jump */
		struct ul_sigframe *f = &t->frames[t->ctx];
		stack_t ss;
		f->sp = (uintptr_t)__builtin_frame_address(0);
		f->alt_lo = f->alt_hi = 0;
		if (syscall(SYS_sigaltstack, NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK)) {
			f->alt_lo = (uintptr_t)ss.ss_sp;
			f->alt_hi = f->alt_lo + ss.ss_size;
		}
		f->prev_sig = cur;
		f->prev_untracked = untracked;
		f->is_signal = true;
	}
	t->ctx++;
	t->cur_sig = sig;
	ul_thread_ctx_changed(t);
	/* The mask in force in the handler, exactly: sigsuspend, ppoll,
	 * pselect and epoll_pwait swap in a temporary one, and the context the
	 * kernel saved holds the mask to restore afterwards, not this one. */
	sigset_t now;
	if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now, _NSIG / 8) == 0)
		t->sig_blocked = mask_bits(&now);
	else
		t->sig_blocked |= s.mask | ((s.flags & SA_NODEFER) ? 0 : (uint64_t)1 << (sig - 1));
	uint64_t mask_hash = t->mask_hash;
	ul_thread_mask_changed(t);
	errno = e;
	if (sig == dump_sig && !t->busy)
		dump_handler();
	if (s.flags & SA_SIGINFO)
		s.info(sig, si, uc);
	else if (s.plain)
		s.plain(sig);
	e = errno;
	t->sig_blocked = blocked;
	t->mask_hash = mask_hash;
	t->cur_sig = cur;
	t->ctx--;
	if (t->ctx < UL_ARRAY_SIZE(t->frames))
		t->frames[t->ctx].is_signal = false;
	ul_thread_ctx_changed(t);
	t->ctx_untracked = untracked;
	errno = e;
}

static bool is_handler(const struct sigaction *a)
{
	void *h = (a->sa_flags & SA_SIGINFO) ? (void *)a->sa_sigaction : (void *)a->sa_handler;
	return h != (void *)SIG_DFL && h != (void *)SIG_IGN && h != NULL;
}

static int install(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!HAVE_REAL(sigaction))
		ul_resolve_reals();
	if (sig <= 0 || sig >= NSIG_TRACK || atomic_load(&ul_init_state) != 2)
		return REAL(sigaction)(sig, act, old);
	struct slot prev = slots[sig];
	struct sigaction mine;
	if (act && is_handler(act)) {
		struct slot s = { NULL, NULL, act->sa_flags, mask_bits(&act->sa_mask) };
		if (act->sa_flags & SA_SIGINFO)
			s.info = act->sa_sigaction;
		else
			s.plain = act->sa_handler;
		mine = *act;
		mine.sa_sigaction = trampoline;
		mine.sa_flags |= SA_SIGINFO;
		slots[sig] = s; /* before the handler can run */
		atomic_fetch_or(&ul_handled_sigs, (uint64_t)1 << (sig - 1));
		act = &mine;
	}
	int r = REAL(sigaction)(sig, act, old);
	if (r != 0) {
		slots[sig] = prev;
		return r;
	}
	/* The program sees its own handler, never the trampoline (SIG_DFL
	 * where only the dump signal's handler is ours). */
	if (old && (old->sa_flags & SA_SIGINFO) && old->sa_sigaction == trampoline) {
		if (prev.flags & SA_SIGINFO)
			old->sa_sigaction = prev.info;
		else
			old->sa_handler = prev.plain ? prev.plain : SIG_DFL;
		old->sa_flags = prev.flags;
	}
	return r;
}

INTERCEPTOR(int, sigaction, (int sig, const struct sigaction *act, struct sigaction *old))
{
	return install(sig, act, old);
}

/* glibc's signal() has BSD semantics: SA_RESTART, handler stays installed. */
INTERCEPTOR(sighandler_t, signal, (int sig, sighandler_t fn))
{
	struct sigaction act, old;
	memset(&act, 0, sizeof act);
	act.sa_handler = fn;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, sig);
	act.sa_flags = SA_RESTART;
	if (install(sig, &act, &old) < 0)
		return SIG_ERR;
	return (old.sa_flags & SA_SIGINFO) ? (sighandler_t)(void *)old.sa_sigaction : old.sa_handler;
}

/* A handler left by siglongjmp never returned to the trampoline: pop its
 * level when the thread is back in a shallower frame, and take the mask
 * siglongjmp restored from the kernel. */
void ul_ctx_left_at(struct ul_thread *t, uintptr_t sp)
{
	bool popped = false;
	while (t->ctx > 0 && t->ctx <= UL_ARRAY_SIZE(t->frames)) {
		struct ul_sigframe *f = &t->frames[t->ctx - 1];
		if (!f->is_signal)
			break; /* a simulated context: only its exit call leaves it */
		bool left = f->alt_hi ? (sp < f->alt_lo || sp >= f->alt_hi) : sp > f->sp;
		if (!left)
			break;
		f->is_signal = false;
		t->ctx--;
		t->cur_sig = f->prev_sig;
		t->ctx_untracked = f->prev_untracked;
		popped = true;
	}
	if (popped) {
		int e = errno;
		sigset_t now;
		if (syscall(SYS_rt_sigprocmask, SIG_BLOCK, NULL, &now, _NSIG / 8) == 0)
			t->sig_blocked = mask_bits(&now);
		errno = e;
		ul_thread_mask_changed(t);
		ul_thread_ctx_changed(t);
	}
}

static void track_mask(int how, const sigset_t *set);

/* Jumps and context switches restore a signal mask inside libc, where no
 * interposed call sees it: track the mask they will put in force. */
static void jump_mask(const sigset_t *to)
{
	int e = errno;
	track_mask(SIG_SETMASK, to);
	errno = e;
}

INTERCEPTOR(void, siglongjmp, (sigjmp_buf env, int val))
{
	if (env[0].__mask_was_saved)
		jump_mask((const sigset_t *)&env[0].__saved_mask);
	REAL(siglongjmp)(env, val);
	__builtin_unreachable();
}

/* glibc's longjmp restores the mask too when sigsetjmp saved it. */
INTERCEPTOR(void, longjmp, (jmp_buf env, int val))
{
	if (env[0].__mask_was_saved)
		jump_mask((const sigset_t *)&env[0].__saved_mask);
	REAL(longjmp)(env, val);
	__builtin_unreachable();
}

INTERCEPTOR(void, _longjmp, (jmp_buf env, int val))
{
	if (env[0].__mask_was_saved)
		jump_mask((const sigset_t *)&env[0].__saved_mask);
	REAL(_longjmp)(env, val);
	__builtin_unreachable();
}

/* What longjmp becomes with _FORTIFY_SOURCE. */
void __longjmp_chk(jmp_buf env, int val) __attribute__((noreturn));
INTERCEPTOR(void, __longjmp_chk, (jmp_buf env, int val))
{
	if (env[0].__mask_was_saved)
		jump_mask((const sigset_t *)&env[0].__saved_mask);
	REAL(__longjmp_chk)(env, val);
	__builtin_unreachable();
}

INTERCEPTOR(int, setcontext, (const ucontext_t *ucp))
{
	sigset_t old;
	struct ul_thread *t = ul_self;
	uint64_t before = t ? t->sig_blocked : 0;
	if (ucp)
		jump_mask(&ucp->uc_sigmask);
	int r = REAL(setcontext)(ucp); /* returns only on failure */
	if (t) { /* nothing switched: the mask is as before */
		memset(&old, 0, sizeof old);
		memcpy(&old, &before, sizeof before);
		jump_mask(&old);
	}
	return r;
}

INTERCEPTOR(int, swapcontext, (ucontext_t *__restrict oucp, const ucontext_t *__restrict ucp))
{
	struct ul_thread *t = ul_self;
	uint64_t before = t ? t->sig_blocked : 0;
	if (ucp)
		jump_mask(&ucp->uc_sigmask);
	int r = REAL(swapcontext)(oucp, ucp);
	/* back here (perhaps on another thread): the mask saved in oucp is in
	 * force again */
	if (t && ul_self) {
		sigset_t m;
		memset(&m, 0, sizeof m);
		memcpy(&m, &before, sizeof before);
		jump_mask(&m);
	}
	return r;
}

__attribute__((noinline)) void ul_ctx_left_check(struct ul_thread *t)
{
	ul_ctx_left_at(t, (uintptr_t)__builtin_frame_address(0));
}

static void track_mask(int how, const sigset_t *set)
{
	struct ul_thread *t = ul_self;
	if (!t || !set || atomic_load(&ul_init_state) != 2)
		return;
	/* a vfork child shares its parent's memory, ul_self included, but
	 * not its mask (dash and busybox set the mask there before exec) */
	if ((int)syscall(SYS_gettid) != t->tid)
		return;
	uint64_t m = mask_bits(set), before = t->sig_blocked;
	if (how == SIG_BLOCK)
		t->sig_blocked |= m;
	else if (how == SIG_UNBLOCK)
		t->sig_blocked &= ~m;
	else if (how == SIG_SETMASK)
		t->sig_blocked = m;
	ul_thread_mask_changed(t);
	uint64_t enabled = before & ~t->sig_blocked;
	if (enabled && atomic_load(&t->depth) && !t->busy && !t->off) {
		t->busy = 1;
		ul_usage_unblock(t, enabled);
		t->busy = 0;
	}
}

INTERCEPTOR(int, pthread_sigmask, (int how, const sigset_t *set, sigset_t *old))
{
	if (!HAVE_REAL(pthread_sigmask))
		ul_resolve_reals();
	sigset_t want; /* set and old may be one object */
	if (set)
		want = *set;
	int r = REAL(pthread_sigmask)(how, set, old);
	if (r == 0) {
		int e = errno;
		track_mask(how, set ? &want : NULL);
		errno = e;
	}
	return r;
}

INTERCEPTOR(int, sigprocmask, (int how, const sigset_t *set, sigset_t *old))
{
	if (!HAVE_REAL(sigprocmask))
		ul_resolve_reals();
	sigset_t want; /* set and old may be one object */
	if (set)
		want = *set;
	int r = REAL(sigprocmask)(how, set, old);
	if (r == 0) {
		int e = errno;
		track_mask(how, set ? &want : NULL);
		errno = e;
	}
	return r;
}

/* The dump signal: print every thread's held locks. If the program installs
 * its own handler later, the dump still runs first (trampoline). */
void ul_signals_init(void)
{
	dump_sig = ul_rt.opt.dump_signal; /* checked by the option parser */
	if (dump_sig <= 0 || dump_sig >= NSIG_TRACK)
		return;
	/* the trampoline with no program handler: it only dumps */
	struct sigaction act;
	memset(&act, 0, sizeof act);
	act.sa_sigaction = trampoline;
	act.sa_flags = SA_RESTART | SA_SIGINFO;
	REAL(sigaction)(dump_sig, &act, NULL);
}
