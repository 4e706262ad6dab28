/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain register contexts under the host HAL (see hal_context.h).
 *
 * A new context is a stack prepared as if host_switch_stack() had saved it:
 * zeroed callee-saved registers, except that two of them carry the entry
 * and its argument, and a return address of host_domain_start. When the
 * frame is popped the stack pointer is back at stack_top, 16-byte aligned,
 * as the ABI wants at a call.
 */
#include <string.h>

#include "hal.h"
#include "host_internal.h"

/* The frame host_switch_stack() pops, in words from the lowest address. */
#if defined(__x86_64__)
enum { FRAME_WORDS = 7, ENTRY_INDEX = 3, ARG_INDEX = 2, RETURN_INDEX = 6 }; /* r12, r13, ret */
#elif defined(__aarch64__)
enum { FRAME_WORDS = 20, ENTRY_INDEX = 0, ARG_INDEX = 1, RETURN_INDEX = 11 }; /* x19, x20, x30 */
#else
#error "the host HAL supports x86_64 and aarch64 hosts"
#endif

void hal_context_init_user(struct hal_context *ctx, uintptr_t entry,
                           uintptr_t stack_base, uintptr_t stack_top,
                           uint64_t arg0)
{
    memset(ctx, 0, sizeof *ctx);
    uintptr_t frame_address = stack_top - 8 * FRAME_WORDS;
    /* The stack is user memory: write it through the kernel's window. */
    uint64_t *frame = hal_kernel_view(frame_address, 8 * FRAME_WORDS);
    if (frame == NULL)
        return; /* the core only passes stacks it carved from RAM */
    memset(frame, 0, 8 * FRAME_WORDS);
    frame[ENTRY_INDEX] = entry;
    frame[ARG_INDEX] = arg0;
    frame[RETURN_INDEX] = (uint64_t)(uintptr_t)host_domain_start;
    ctx->sp = frame_address;
    ctx->stack_base = stack_base;
    ctx->stack_size = stack_top - stack_base;
}

/* A domain stopped in a syscall is inside a call to host_trap(): it has no
 * pc worth reporting (0) and resumes by returning. One stopped in a machine
 * exception has the faulting instruction's address and may be moved. */
uintptr_t hal_context_pc(const struct hal_context *ctx)
{
    return ctx->in_exception ? ctx->exception_pc : 0;
}

void hal_context_set_pc(struct hal_context *ctx, uintptr_t pc)
{
    if (ctx->in_exception)
        ctx->resume_pc = pc;
}
