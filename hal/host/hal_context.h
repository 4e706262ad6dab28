/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A domain's saved context under the host HAL.
 *
 * On hardware a trap saves every general register. Here a domain enters the
 * kernel only by calling the trap trampoline (a function call), so the only
 * registers to keep are the callee-saved ones, which the trampoline pushes on
 * the domain's own stack, and the stack pointer itself; the syscall words
 * travel in `frame`. A machine exception (an undefined instruction, a bad
 * access) arrives as a signal on the domain's stack; the signal frame there
 * holds its full register state until it resumes (exceptions.c).
 */
#ifndef VESPER_HAL_HOST_CONTEXT_H
#define VESPER_HAL_HOST_CONTEXT_H

#include <stdint.h>

#include <vesper/syscall.h>

struct hal_context {
    uint64_t sp;                       /* valid while a started domain is switched out */
    struct vesper_syscall_frame frame; /* last syscall in, results out */
    uint64_t stack_base;               /* the domain stack, for AddressSanitizer */
    uint64_t stack_size;
    /* A domain that has not run yet: where it begins. Its stack holds
     * nothing of the HAL's (hal.h: a HAL writes no user memory). */
    uint64_t start_entry;
    uint64_t start_arg;
    uint32_t fresh;
    /* While the domain is stopped in a machine exception (exceptions.c):
     * the faulting instruction's address and where to resume. */
    uint64_t exception_pc;
    uint64_t resume_pc;
    uint32_t in_exception;
    /* The domain's IPC buffer address (hal.h), which host_ipc_buffer()
     * returns while it runs: the host's TPIDR_EL0. */
    uint64_t ipc_buffer;
    /* The syscall in frame is to be made again (hal_context_restart_syscall):
     * host_trap() makes its call once more when the domain resumes. */
    uint32_t restart;
};

/* The hot-path accessors of hal/hal.h. RAM is mapped at the same offset in
 * the kernel's window as in the users' (host.h: HOST_USER_BASE and
 * HOST_KERNEL_WINDOW). */
#define HAL_HOST_WINDOW_OFFSET ((uintptr_t)0x530000000000ull - (uintptr_t)0x520000000000ull)

static inline void hal_context_get_syscall(const struct hal_context *ctx,
                                           struct vesper_syscall_frame *frame)
{
    *frame = ctx->frame;
}

static inline const struct vesper_syscall_frame *
hal_context_syscall_view(const struct hal_context *ctx, struct vesper_syscall_frame *scratch)
{
    (void)scratch;
    return &ctx->frame;
}

static inline void hal_context_set_result(struct hal_context *ctx, unsigned index,
                                          uint64_t value)
{
    if (index < VESPER_SYSCALL_ARGS)
        ctx->frame.arg[index] = value;
}

static inline void *hal_kernel_pointer(uintptr_t address)
{
    return (void *)(address + HAL_HOST_WINDOW_OFFSET);
}

static inline uintptr_t hal_user_address(const void *pointer)
{
    return (uintptr_t)pointer - HAL_HOST_WINDOW_OFFSET;
}

#endif
