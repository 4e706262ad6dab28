/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain register contexts under the host HAL (see hal_context.h).
 *
 * A new context records where the domain begins; it has no saved stack
 * pointer yet. Its first resume (run.c) calls host_start_domain(), which
 * sets the stack pointer to stack_top and calls the entry: the only writes
 * to the domain's stack are the domain's own. On hardware the same comes
 * from loading the entry and stack into the saved pc and sp; neither HAL
 * prepares anything in user memory (hal.h).
 */
#include <string.h>

#include "hal.h"
#include "host_internal.h"

void hal_context_init_user(struct hal_context *ctx, uintptr_t entry,
                           uintptr_t stack_base, uintptr_t stack_top,
                           uint64_t arg0)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->start_entry = entry;
    ctx->start_arg = arg0;
    ctx->fresh = 1;
    ctx->stack_base = stack_base;
    ctx->stack_size = stack_top - stack_base;
}

/* A domain stopped in a syscall is inside a call to host_trap(): it has no
 * pc worth reporting (0) and resumes by returning. One stopped in a machine
 * exception has the faulting instruction's address and may be moved. */
void hal_context_set_ipc_buffer(struct hal_context *ctx, uintptr_t address)
{
    ctx->ipc_buffer = address;
}

uintptr_t hal_context_pc(const struct hal_context *ctx)
{
    return ctx->in_exception ? ctx->exception_pc : 0;
}

void hal_context_set_pc(struct hal_context *ctx, uintptr_t pc)
{
    if (ctx->in_exception)
        ctx->resume_pc = pc;
}
