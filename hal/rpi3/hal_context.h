/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A domain's saved context on aarch64: what the exception vector saves when
 * EL0 traps into EL1 and what `eret` restores. The layout is shared with
 * the assembly in vectors.S: x0-x30, then SP_EL0, ELR_EL1, SPSR_EL1 and
 * TPIDR_EL0. TPIDR_EL0 is the one system register EL0 can write, so it is
 * part of a domain's context (otherwise it would carry values from one
 * domain to the next); the kernel keeps the domain's IPC buffer address in
 * it (hal_context_set_ipc_buffer()).
 */
#ifndef VESPER_HAL_RPI3_CONTEXT_H
#define VESPER_HAL_RPI3_CONTEXT_H

#include <stdint.h>

#include <vesper/syscall.h>

struct hal_context {
    uint64_t x[31];
    uint64_t sp_el0;
    uint64_t elr;  /* where eret resumes */
    uint64_t spsr; /* saved processor state; only N, Z, C, V are restored */
    uint64_t tpidr_el0; /* the domain's IPC buffer, as the kernel last set it */
};

#define HAL_CONTEXT_SIZE (35 * 8)

_Static_assert(sizeof(struct hal_context) == HAL_CONTEXT_SIZE,
               "vectors.S assumes this layout");

/* The hot-path accessors of hal/hal.h: the syscall number is in x7, the
 * words in x0-x6; the MMU maps every address to itself, so the kernel sees
 * RAM where users do. */
#define HAL_SYSCALL_NUMBER_REGISTER 7

static inline void hal_context_get_syscall(const struct hal_context *ctx,
                                           struct vesper_syscall_frame *frame)
{
    frame->number = ctx->x[HAL_SYSCALL_NUMBER_REGISTER];
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        frame->arg[i] = ctx->x[i];
}

static inline const struct vesper_syscall_frame *
hal_context_syscall_view(const struct hal_context *ctx, struct vesper_syscall_frame *scratch)
{
    hal_context_get_syscall(ctx, scratch);
    return scratch;
}

static inline void hal_context_set_result(struct hal_context *ctx, unsigned index,
                                          uint64_t value)
{
    if (index < VESPER_SYSCALL_ARGS)
        ctx->x[index] = value;
}

static inline void *hal_kernel_pointer(uintptr_t address)
{
    return (void *)address;
}

static inline uintptr_t hal_user_address(const void *pointer)
{
    return (uintptr_t)pointer;
}

#endif
