/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain register contexts on aarch64 (hal_context.h) and resuming one.
 *
 * A domain runs at EL0 and enters the kernel with an exception; the vector
 * saves its registers into the context the HAL last resumed, and `eret`
 * from a context puts them all back (vectors.S). The syscall ABI lives in
 * the registers: number in x7, arguments and results in x0-x6.
 */
#include <stddef.h>
#include <stdint.h>

#include <vesper/control.h>

#include "context_layout.h"
#include "hal.h"
#include "kernel.h"
#include "rpi3.h"

_Static_assert(offsetof(struct hal_context, x) == CONTEXT_X0, "x0 offset");
_Static_assert(offsetof(struct hal_context, x[30]) == CONTEXT_X30, "x30 offset");
_Static_assert(offsetof(struct hal_context, sp_el0) == CONTEXT_SP_EL0, "SP_EL0 offset");
_Static_assert(offsetof(struct hal_context, elr) == CONTEXT_ELR, "ELR offset");
_Static_assert(offsetof(struct hal_context, spsr) == CONTEXT_SPSR, "SPSR offset");
_Static_assert(offsetof(struct hal_context, tpidr_el0) == CONTEXT_TPIDR_EL0, "TPIDR_EL0 offset");
_Static_assert(sizeof(struct hal_context) == CONTEXT_BYTES, "context size");

struct hal_context *rpi3_resumed_context;

void hal_context_init_user(struct hal_context *ctx, uintptr_t entry,
                           uintptr_t stack_base, uintptr_t stack_top,
                           uint64_t arg0)
{
    (void)stack_base; /* the MMU enforces what the domain may touch */
    *ctx = (struct hal_context){0};
    ctx->x[0] = arg0;
    ctx->elr = entry;
    ctx->sp_el0 = stack_top;
    ctx->spsr = SPSR_EL0_MASKS; /* EL0t; what restoring forces anyway */
}

/* ELR_EL1 of an SVC is the instruction after it; every instruction is 4
 * bytes. x0-x7 still hold the syscall's words, since no result was
 * written. */
void hal_context_restart_syscall(struct hal_context *ctx)
{
    ctx->elr -= 4;
}

void hal_context_set_ipc_buffer(struct hal_context *ctx, uintptr_t address)
{
    ctx->tpidr_el0 = address;
}

uintptr_t hal_context_pc(const struct hal_context *ctx)
{
    return ctx->elr;
}

void hal_context_set_pc(struct hal_context *ctx, uintptr_t pc)
{
    ctx->elr = pc;
}

/* A context's words are its registers in the order of struct hal_context
 * (<vesper/control.h> documents it for users). */
_Static_assert(CONTEXT_BYTES / 8 <= VESPER_CONTEXT_WORDS, "a context fits its user form");
_Static_assert(offsetof(struct hal_context, sp_el0) / 8 == VESPER_CONTEXT_AARCH64_SP,
               "the documented SP word");
_Static_assert(offsetof(struct hal_context, elr) / 8 == VESPER_CONTEXT_AARCH64_PC,
               "the documented pc word");

void hal_context_export(const struct hal_context *ctx, struct vesper_context *out)
{
    const uint64_t *words = (const uint64_t *)ctx;
    for (unsigned i = 0; i < VESPER_CONTEXT_WORDS; i++)
        out->word[i] = i < CONTEXT_BYTES / 8 ? words[i] : 0;
}

/* Every register value is one the domain could load itself; only PSTATE
 * is narrowed to its condition flags, as every resume does anyway. */
bool hal_context_import(struct hal_context *ctx, const struct vesper_context *in,
                        struct hal_context_needs *needs)
{
    uint64_t *words = (uint64_t *)ctx;
    for (unsigned i = 0; i < CONTEXT_BYTES / 8; i++)
        words[i] = in->word[i];
    ctx->spsr = (ctx->spsr & SPSR_USER_FLAGS) | SPSR_EL0_MASKS;
    *needs = (struct hal_context_needs){0};
    return true;
}

_Noreturn void rpi3_resume(struct hal_context *ctx)
{
    rpi3_resumed_context = ctx;
    rpi3_mmu_user_tree();
    rpi3_context_restore(ctx);
}
