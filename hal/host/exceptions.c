/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Machine exceptions of domains under the host HAL.
 *
 * On hardware an undefined instruction or a bad access in user mode traps
 * to the kernel's vector, which saves the registers. Here the host delivers
 * a signal (SIGILL, SIGTRAP, SIGFPE, SIGSEGV, SIGBUS) on the domain's own
 * stack, and the signal frame holds the domain's registers. The handler
 * records the exception, switches to the kernel stack as a syscall does,
 * and the kernel delivers a fault to the domain's handler. When the domain
 * is resumed, the handler returns and the host restores the registers,
 * with the pc the fault handler chose. The cause word is the signal number.
 *
 * Handlers are installed only by host_run(): unit tests and fuzzers drive
 * the kernel without running domain code, and libFuzzer keeps its own
 * handlers for crashes.
 *
 * With protection on (protection.c), most SIGSEGVs are not faults at all
 * but a lazy fill, and the page below a domain's stack pointer may be one
 * the host cannot write a signal frame to (not filled yet, or not granted).
 * So every exception first arrives on an alternate stack of the HAL's own,
 * where a SIGSEGV tries the fill. For a real exception, the handler makes
 * sure the domain's stack can take a signal frame (filling it under lazy
 * protection), switches that signal to the handler on the domain's stack
 * and returns: the instruction runs again, raises the same signal, and it
 * arrives there, as without protection, since one alternate stack could
 * not hold the frames of several faulted domains at once. That handler puts
 * the alternate one back before anything else. On hardware none of this
 * arises: the exception vector runs on the kernel's stack.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <vesper/syscall.h>

#include "hal.h"
#include "host_internal.h"

static const int exception_signals[] = {SIGILL, SIGTRAP, SIGFPE, SIGSEGV, SIGBUS};
#define SIGNAL_COUNT (sizeof exception_signals / sizeof exception_signals[0])

/* What handled these signals before host_run(), restored after it. */
static struct sigaction previous[SIGNAL_COUNT];

/* The alternate stack where exceptions arrive first under protection, and
 * the one it replaced while host_run() runs. */
#define ALTERNATE_STACK_SIZE ((size_t)64 * 1024)
static void *alternate_stack;
static stack_t previous_alternate;

/* What the host needs below a domain's stack pointer to deliver a signal on
 * its stack: the red zone the ABI leaves to leaf functions, a signal frame
 * (whose size, with the vector registers, the kernel reports; 4 KiB if it
 * does not), some slack for alignment, and, as far as the domain's grants
 * allow, room for the first frames of the handler, which run before it can
 * take faults on the alternate stack again. */
#if defined(__x86_64__)
#define RED_ZONE 128u
#else
#define RED_ZONE 0u
#endif
#define FRAME_SLACK 1024u
#define HANDLER_ROOM ((uintptr_t)8 * 1024)
static uintptr_t signal_frame_size = 4096;

static uintptr_t ucontext_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    return (uintptr_t)uc->uc_mcontext.pc;
#endif
}

static uintptr_t ucontext_sp(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#else
    return (uintptr_t)uc->uc_mcontext.sp;
#endif
}

static void ucontext_set_pc(ucontext_t *uc, uintptr_t pc)
{
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t)pc;
#else
    uc->uc_mcontext.pc = pc;
#endif
}

/* What a bad access tried, from the machine's page-fault error code: on
 * x86_64 bit 1 says a write and bit 4 an instruction fetch. Other hosts do
 * not tell: 0. */
static unsigned fault_access(const ucontext_t *uc)
{
#if defined(__x86_64__)
    uint64_t error = (uint64_t)uc->uc_mcontext.gregs[REG_ERR];
    if (error & (1u << 4))
        return VESPER_FAULT_ACCESS_EXECUTE;
    return (error & (1u << 1)) ? VESPER_FAULT_ACCESS_WRITE : VESPER_FAULT_ACCESS_READ;
#else
    (void)uc;
    return 0;
#endif
}

/* Give the signal back to the host: its default action ends the process,
 * as a fault in the kernel itself must. */
static void fall_through(int sig)
{
    signal(sig, SIG_DFL);
}

static void on_exception_first(int sig, siginfo_t *info, void *context);

typedef void signal_handler(int, siginfo_t *, void *);

/* Handle sig with handler, on the alternate stack or on the one in use.
 * Not blocked while it runs (SA_NODEFER), so another domain's exception
 * still arrives while a faulted one waits in its handler. */
static void set_handler(int sig, signal_handler *handler, bool alternate, struct sigaction *old)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = handler;
    action.sa_flags = SA_SIGINFO | SA_NODEFER | (alternate ? SA_ONSTACK : 0);
    sigemptyset(&action.sa_mask);
    sigaction(sig, &action, old);
}

static void on_exception(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    if (host_protection_enabled())
        set_handler(sig, on_exception_first, true, NULL); /* the next one arrives there */
    struct hal_context *ctx = host_running_context();
    if (ctx == NULL || ctx->in_exception) {
        fall_through(sig); /* not a domain's: returning re-raises it, fatally */
        return;
    }
    bool access = sig == SIGSEGV || sig == SIGBUS;
    ctx->exception_pc = ucontext_pc(uc);
    ctx->resume_pc = ctx->exception_pc;
    ctx->in_exception = 1;
    host_enter_kernel_with_exception(
        ctx, access ? VESPER_FAULT_PAGE : VESPER_FAULT_USER_EXCEPTION, (uint64_t)sig,
        access ? (uint64_t)(uintptr_t)info->si_addr : 0, access ? fault_access(uc) : 0);
    /* Whoever resumed this chain: the faulted domain, or one that took
     * the context over with Resume (its copy of the context says where). */
    ctx = host_running_context();
    ucontext_set_pc(uc, (uintptr_t)ctx->resume_pc);
    ctx->in_exception = 0;
}

/* x86_64 reports a breakpoint (int3) with the pc past it, so running on
 * would lose it: step back onto it, to raise it again. Other exceptions
 * leave the pc at the instruction that raised them. */
static void rerun_breakpoint(int sig, const siginfo_t *info, ucontext_t *uc)
{
#if defined(__x86_64__)
    uintptr_t pc = ucontext_pc(uc);
    if (sig == SIGTRAP && info->si_code == SI_KERNEL && *(const unsigned char *)(pc - 1) == 0xcc)
        ucontext_set_pc(uc, pc - 1);
#else
    (void)sig, (void)info, (void)uc;
#endif
}

/* Under protection, where every exception arrives first (on the alternate
 * stack). */
static void on_exception_first(int sig, siginfo_t *info, void *context)
{
    uintptr_t address = (uintptr_t)info->si_addr;
    if (sig == SIGSEGV && host_protection_fill(address))
        return; /* a first touch the tree allows: the access is retried */
    rerun_breakpoint(sig, info, context);
    struct hal_context *ctx = host_running_context();
    if (ctx == NULL || ctx->in_exception) {
        fall_through(sig);
        return;
    }
    uintptr_t sp = ucontext_sp(context);
    uintptr_t need = sp - RED_ZONE - signal_frame_size - FRAME_SLACK;
    if (!host_protection_stack_ready(need - HANDLER_ROOM, need, sp)) {
        fprintf(stderr, "vesper: a domain took signal %d (address %p), but its stack below %p "
                "is not writable, so the host cannot deliver the fault\n", sig, (void *)address,
                (void *)sp);
        fall_through(sig);
        return;
    }
    /* The instruction raises the signal again, now on the domain's stack. */
    set_handler(sig, on_exception, false, NULL);
}

static int use_alternate_stack(void)
{
#ifdef AT_MINSIGSTKSZ
    if (getauxval(AT_MINSIGSTKSZ) != 0)
        signal_frame_size = getauxval(AT_MINSIGSTKSZ);
#endif
    if (alternate_stack == NULL) {
        void *p = mmap(NULL, ALTERNATE_STACK_SIZE, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
            return -1;
        alternate_stack = p;
    }
    stack_t stack = {.ss_sp = alternate_stack, .ss_size = ALTERNATE_STACK_SIZE};
    return sigaltstack(&stack, &previous_alternate);
}

void host_exceptions_install(void)
{
    /* On the faulting domain's stack (no SA_ONSTACK): each domain keeps its
     * frame while others run. Under protection they arrive on the
     * alternate stack first. */
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        set_handler(exception_signals[i], on_exception, false, &previous[i]);
    if (!host_protection_enabled())
        return;
    if (use_alternate_stack() != 0) {
        perror("vesper: no alternate signal stack for protection");
        hal_halt(1);
    }
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        set_handler(exception_signals[i], on_exception_first, true, NULL);
}

void host_exceptions_remove(void)
{
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        sigaction(exception_signals[i], &previous[i], NULL);
    if (host_protection_enabled())
        sigaltstack(&previous_alternate, NULL);
}
