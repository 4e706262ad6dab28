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
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include <vesper/syscall.h>

#include "hal.h"
#include "host_internal.h"

static const int exception_signals[] = {SIGILL, SIGTRAP, SIGFPE, SIGSEGV, SIGBUS};
#define SIGNAL_COUNT (sizeof exception_signals / sizeof exception_signals[0])

/* What handled these signals before host_run(), restored after it. */
static struct sigaction previous[SIGNAL_COUNT];

static uintptr_t ucontext_pc(const ucontext_t *uc)
{
#if defined(__x86_64__)
    return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#else
    return (uintptr_t)uc->uc_mcontext.pc;
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

static void on_exception(int sig, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
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
    ucontext_set_pc(uc, (uintptr_t)ctx->resume_pc);
    ctx->in_exception = 0;
}

void host_exceptions_install(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_exception;
    /* On the faulting domain's stack (no SA_ONSTACK: each domain keeps its
     * frame while others run), and not blocked while it waits (SA_NODEFER),
     * so another domain's exception still arrives. */
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        sigaction(exception_signals[i], &action, &previous[i]);
}

void host_exceptions_remove(void)
{
    for (size_t i = 0; i < SIGNAL_COUNT; i++)
        sigaction(exception_signals[i], &previous[i], NULL);
}
