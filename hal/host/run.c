/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Running domains under the host HAL: the kernel's run loop and the trap.
 *
 * On hardware a domain runs in user mode until an exception takes the CPU
 * to the kernel's vector, and `eret` goes back. Here the kernel runs on the
 * process's main stack and each domain on its own stack in the simulated
 * RAM; host_switch_stack() moves between them. A domain enters the kernel
 * by calling host_trap() (libos does), which switches to the kernel stack;
 * the run loop then calls the core's entry and switches to whichever
 * context the core names. Domains run in the host's user mode like the
 * kernel: this catches mistakes with hardware-like semantics but is not a
 * security boundary (README).
 *
 * AddressSanitizer must be told about every stack switch, or it reports
 * false errors when a stack it does not know returns; the fiber_* helpers
 * do that and compile to nothing without it.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <ucontext.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"
#include "kernel.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HOST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HOST_ASAN 1
#endif

#ifdef HOST_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

static struct {
    uint64_t kernel_sp;            /* the kernel's stack while a domain runs */
    struct hal_context *current;   /* the context on the CPU, NULL in the kernel */
    const void *kernel_stack_bottom;
    size_t kernel_stack_size;
    /* A machine exception the running domain took, for the run loop. */
    uint32_t exception_kind;       /* a VESPER_FAULT_*, 0 for none */
    uint64_t exception_cause;
    uint64_t exception_address;
    unsigned exception_access;     /* a VESPER_FAULT_ACCESS_*, 0 if unknown */
    /* Real time: the running domain was taken off the CPU by the timer's
     * signal, and where the process's main stack (the kernel's) lies. */
    volatile sig_atomic_t preempted;
    uintptr_t main_stack_low, main_stack_high;
    /* Non-zero between telling AddressSanitizer of a stack switch and its
     * end on the new stack (only under the sanitizer): a preemption then
     * would begin a second switch inside the first. */
    volatile sig_atomic_t stack_switching;
    struct host_stats stats;
    struct hal_context *last_resumed; /* for counting switches */
    bool stop;                        /* host_run_stop() was called */
    void (*after_entry)(void);        /* host_run_after_entry() */
} host;

void host_run_stop(void)
{
    host.stop = true;
}

void host_run_after_entry(void (*hook)(void))
{
    host.after_entry = hook;
}

const struct host_stats *host_stats(void)
{
    return &host.stats;
}

void host_stack_switch_begin(void)
{
    host.stack_switching = 1;
}

void host_stack_switch_end(void)
{
    host.stack_switching = 0;
}

static void fiber_start(void **fake_stack, const void *bottom, size_t size)
{
#ifdef HOST_ASAN
    host_stack_switch_begin();
    __sanitizer_start_switch_fiber(fake_stack, bottom, size);
#else
    (void)fake_stack, (void)bottom, (void)size;
#endif
}

static void fiber_finish(void *fake_stack, const void **old_bottom, size_t *old_size)
{
#ifdef HOST_ASAN
    __sanitizer_finish_switch_fiber(fake_stack, old_bottom, old_size);
    host_stack_switch_end();
#else
    (void)fake_stack, (void)old_bottom, (void)old_size;
#endif
}

/* A new domain's stack holds no frames, but its memory may still carry the
 * redzone marks of frames that were abandoned rather than returned from: a
 * domain stopped for good is never resumed, and a reset leaves RAM's marks
 * as they were. Instrumented code rewrites the marks of its own frames as it
 * enters them, but the sanitizer's runtime and libc do not: their checks of
 * their own locals on this stack would report the stale marks (with gcc's
 * frame layouts, the first no-return call of a new domain did). So clear
 * them. */
static void fiber_new_stack(const void *bottom, size_t size)
{
#ifdef HOST_ASAN
    __asan_unpoison_memory_region(bottom, size);
#else
    (void)bottom, (void)size;
#endif
}

int host_machine_reset(size_t memory_size, uintptr_t root_entry)
{
    if (host_memory_reset(memory_size, root_entry) != 0 || host_protection_reset() != 0)
        return -1;
    host_console_reset();
    host_clock_reset();
    host_irq_reset();
    host_devices_reset();
    host.current = NULL;
    host.preempted = 0;
    host.stats = (struct host_stats){0};
    host.last_resumed = NULL;
    host.stop = false;
    return 0;
}

/* Run ctx until it next enters the kernel. */
static void resume_domain(struct hal_context *ctx)
{
    void *fake_stack = NULL;
    if (ctx != host.last_resumed && host.last_resumed != NULL)
        host.stats.switches++;
    host.last_resumed = ctx;
    host.current = ctx;
    fiber_start(&fake_stack, (const void *)(uintptr_t)ctx->stack_base, ctx->stack_size);
    if (ctx->fresh) {
        ctx->fresh = 0;
        fiber_new_stack((const void *)(uintptr_t)ctx->stack_base, ctx->stack_size);
        host_start_domain(&host.kernel_sp, ctx->stack_base + ctx->stack_size,
                          ctx->start_entry, ctx->start_arg);
    } else {
        host_switch_stack(&host.kernel_sp, ctx->sp);
    }
    /* Back in the kernel. A domain may have moved to stacks of its own
     * (user-level threads tell the sanitizer as they switch): the stack it
     * left is the one to tell of when it resumes. */
    const void *bottom = NULL;
    size_t size = 0;
    fiber_finish(fake_stack, &bottom, &size);
    if (size != 0 && !ctx->fresh) {
        ctx->stack_base = (uint64_t)(uintptr_t)bottom;
        ctx->stack_size = size;
    }
    host.current = NULL;
}

/* The kernel entry for what stopped the domain: a syscall, a machine
 * exception its signal handler recorded, or, in real time, the timer. */
static struct hal_context *enter_kernel(const struct hal_context *ctx)
{
    if (host.preempted) {
        host.preempted = 0;
        host.stats.timer_entries++;
        return kernel_entry_timer();
    }
    uint64_t start = hal_clock_now_ns();
    host_clock_charge_entry();
    uint32_t kind = host.exception_kind;
    if (kind == 0) {
        uint64_t number = ctx->frame.number;
        if (number >= HOST_STATS_SYSCALLS) {
            host.stats.other_syscalls++;
            return kernel_entry_syscall();
        }
        struct hal_context *next = kernel_entry_syscall();
        host.stats.syscalls[number]++;
        host.stats.syscall_ns[number] += hal_clock_now_ns() - start;
        return next;
    }
    host.stats.exceptions[kind < HOST_STATS_FAULT_KINDS ? kind : 0]++;
    host.exception_kind = 0;
    return kernel_entry_exception(kind, host.exception_cause, host.exception_address,
                                  host.exception_access);
}

/* No domain can run (kernel_is_idle()): let virtual time jump to the next
 * event that could wake one, the earliest of the kernel's deadline and the
 * simulated devices' events, and run the devices there; the loop then
 * makes the entries that are due. With no event to come, nothing will ever
 * wake a domain. */
static struct hal_context *idle(void)
{
    uint64_t next = host_timer_deadline(), device = host_devices_next_event();
    if (device < next)
        next = device;
    if (next == HAL_DEADLINE_NONE && !host_uart_input_waits())
        return kernel_entry_no_wakeup();
    host_devices_wait(next); /* standard input may end the wait first */
    host_devices_step();
    return NULL;
}

/* ---- Real time: the timer's signal preempts a domain ---------------------
 *
 * On hardware the timer's interrupt stops the CPU wherever user code is and
 * enters the kernel's vector. Here SIGALRM (clock.c) arrives on the running
 * domain's own stack, its registers in the signal frame there; the handler
 * switches to the kernel's stack as a trap does, and the run loop makes the
 * timer entry. The kernel is never entered from the handler itself. When
 * the domain is resumed the handler returns and the host restores its
 * registers. SA_NODEFER keeps the signal unblocked while a preempted
 * domain's handler is suspended, so that the next domain can be preempted
 * too. A signal that finds the kernel running (on the main stack) is left
 * to the run loop, which checks the deadline after every entry, and asks
 * again shortly, in case the kernel was just resuming a domain; so is one
 * that finds a stack switch half told to AddressSanitizer (the HAL's own,
 * or a user-level thread's: host_stack_switch_begin()). */

static void switch_to_kernel(struct hal_context *ctx);

static bool on_main_stack(const void *context)
{
    const ucontext_t *uc = context;
#if defined(__x86_64__)
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
#else
    uintptr_t sp = (uintptr_t)uc->uc_mcontext.sp;
#endif
    return sp >= host.main_stack_low && sp < host.main_stack_high;
}

static void preempt(int sig, siginfo_t *info, void *context)
{
    (void)sig, (void)info;
    struct hal_context *ctx = host.current;
    if (ctx == NULL || on_main_stack(context) || host.stack_switching) {
        host_clock_rearm_soon();
        return;
    }
    host.preempted = 1;
    switch_to_kernel(ctx); /* back here when the domain is resumed */
}

/* The kernel runs below host_run()'s frame on the main stack, which the
 * host keeps far from the users' window and the image (host.h). */
#define MAIN_STACK_REACH ((uintptr_t)64 << 20)

static void preemption_install(uintptr_t run_frame)
{
    host.main_stack_low = run_frame - MAIN_STACK_REACH;
    host.main_stack_high = run_frame + HAL_PAGE_SIZE;
    struct sigaction action = {.sa_sigaction = preempt, .sa_flags = SA_SIGINFO | SA_NODEFER};
    sigemptyset(&action.sa_mask);
    sigaction(SIGALRM, &action, NULL);
}

static void preemption_remove(void)
{
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
    signal(SIGALRM, SIG_IGN);
}

static void after_entry(void)
{
    if (host.after_entry != NULL)
        host.after_entry();
}

int host_run(void)
{
    host_exceptions_install();
    if (host_time_is_real())
        preemption_install((uintptr_t)__builtin_frame_address(0));
    struct hal_context *ctx = kernel_boot();
    /* An entry that names a context leaves the kernel running: only a NULL
     * one needs asking whether it shut down or idles. */
    while ((ctx != NULL || kernel_is_running()) && !host.stop) {
        if (ctx != NULL) {
            resume_domain(ctx);
            ctx = enter_kernel(ctx);
            after_entry();
            if (host_devices_present)
                host_devices_step(); /* what drivers wrote takes effect */
        } else {
            ctx = idle();
        }
        /* What hardware would take on the way back to user mode. */
        if (host_deadline_passed() && (ctx != NULL || kernel_is_running()) && !host.stop) {
            host.stats.timer_entries++;
            ctx = kernel_entry_timer(); /* the slice ended during that entry */
            after_entry();
        }
        for (int line; (line = host_irq_next()) >= 0 && (ctx != NULL || kernel_is_running()) &&
                       !host.stop;) {
            host.stats.irq_entries++;
            ctx = kernel_entry_irq((unsigned)line); /* the kernel masks it */
            after_entry();
        }
    }
    host.stats.end_ns = hal_clock_now_ns();
    if (host_time_is_real())
        preemption_remove();
    host_exceptions_remove();
    return host.stop ? HOST_RUN_STOPPED : kernel_exit_status();
}

struct hal_context *host_running_context(void)
{
    return host.current;
}

uintptr_t host_ipc_buffer(void)
{
    return host.current != NULL ? (uintptr_t)host.current->ipc_buffer : 0;
}

/* Leave a domain's stack for the kernel's; back when it is resumed. */
static void switch_to_kernel(struct hal_context *ctx)
{
    void *fake_stack = NULL;
    fiber_start(&fake_stack, host.kernel_stack_bottom, host.kernel_stack_size);
    host_switch_stack(&ctx->sp, host.kernel_sp);
    fiber_finish(fake_stack, NULL, NULL);
}

void host_trap(struct vesper_syscall_frame *frame)
{
    struct hal_context *ctx = host.current;
    if (ctx == NULL) {
        fprintf(stderr, "vesper: host_trap called outside a domain\n");
        abort();
    }
    for (;;) {
        ctx->frame = *frame;
        switch_to_kernel(ctx);
        ctx = host.current; /* this chain's domain, resumed */
        if (!ctx->restart)
            break;
        ctx->restart = 0; /* a preempted operation: make the call again */
    }
    *frame = ctx->frame;
}

void host_enter_kernel_with_exception(struct hal_context *ctx, uint32_t kind, uint64_t cause,
                                      uint64_t address, unsigned access)
{
    host.exception_access = access;
    host.exception_kind = kind;
    host.exception_cause = cause;
    host.exception_address = address;
    switch_to_kernel(ctx);
}

struct hal_context *host_syscall_as_current(struct vesper_syscall_frame *frame)
{
    struct hal_context *ctx = kernel_current_context();
    if (ctx == NULL)
        return NULL;
    ctx->frame = *frame;
    host_clock_charge_entry();
    struct hal_context *next = kernel_entry_syscall();
    *frame = ctx->frame;
    return next;
}

_Noreturn void host_domain_main(uintptr_t entry, uint64_t arg)
{
    /* The first switch into a domain comes from the kernel stack: learn its
     * bounds here for the switches back. */
    fiber_finish(NULL, &host.kernel_stack_bottom, &host.kernel_stack_size);
    ((void (*)(uint64_t))entry)(arg);
    /* The domain returned from its entry function: there is nowhere to
     * return to. On the Pi its link register starts at 0, so it takes an
     * instruction abort at address 0; here it takes the same fault, a page
     * fault executing at pc 0, which the kernel gives to its fault handler
     * or answers by stopping it. Resumed, it faults again: it cannot go
     * on from another pc on the host. */
    for (;;) {
        struct hal_context *ctx = host.current;
        ctx->exception_pc = 0;
        ctx->resume_pc = 0;
        ctx->in_exception = 1;
        host_enter_kernel_with_exception(ctx, VESPER_FAULT_PAGE, (uint64_t)SIGSEGV, 0,
                                         VESPER_FAULT_ACCESS_EXECUTE);
        host.current->in_exception = 0;
    }
}

_Noreturn void hal_halt(int status)
{
    fflush(stdout);
    exit(status);
}
