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

#include <vesper/control.h>

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
void hal_context_restart_syscall(struct hal_context *ctx)
{
    ctx->restart = 1;
}

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

/* A context's user form (struct vesper_context): its words in this order. */
enum context_word {
    WORD_SP,
    WORD_NUMBER,
    WORD_ARG0,
    WORD_STACK_BASE = WORD_ARG0 + VESPER_SYSCALL_ARGS,
    WORD_STACK_SIZE,
    WORD_START_ENTRY,
    WORD_START_ARG,
    WORD_FRESH,
    WORD_EXCEPTION_PC,
    WORD_RESUME_PC,
    WORD_IN_EXCEPTION,
    WORD_IPC_BUFFER, /* exported only: a resume sets the caller's */
    WORD_RESTART,
    WORD_COUNT,
};
_Static_assert(WORD_COUNT <= VESPER_CONTEXT_WORDS, "a context fits its user form");

void hal_context_export(const struct hal_context *ctx, struct vesper_context *out)
{
    memset(out, 0, sizeof *out);
    out->word[WORD_SP] = ctx->sp;
    out->word[WORD_NUMBER] = ctx->frame.number;
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        out->word[WORD_ARG0 + i] = ctx->frame.arg[i];
    out->word[WORD_STACK_BASE] = ctx->stack_base;
    out->word[WORD_STACK_SIZE] = ctx->stack_size;
    out->word[WORD_START_ENTRY] = ctx->start_entry;
    out->word[WORD_START_ARG] = ctx->start_arg;
    out->word[WORD_FRESH] = ctx->fresh;
    out->word[WORD_EXCEPTION_PC] = ctx->exception_pc;
    out->word[WORD_RESUME_PC] = ctx->resume_pc;
    out->word[WORD_IN_EXCEPTION] = ctx->in_exception;
    out->word[WORD_IPC_BUFFER] = ctx->ipc_buffer;
    out->word[WORD_RESTART] = ctx->restart;
}

/* The switch frame host_switch_stack() pops from a suspended stack. */
#if defined(__x86_64__)
#define SWITCH_FRAME_BYTES 56u
#else
#define SWITCH_FRAME_BYTES 160u
#endif

/* A context is a stack: a fresh one where the domain will start, a started
 * one holding a suspended call chain with the switch frame at sp. What
 * resuming reads must be the domain's to read and write (needs): the whole
 * stack of a fresh context, the switch frame of a started one, so that
 * what it pops are bytes the domain could have written itself; the frames
 * above it are the domain's own business, as are the pcs an exception
 * resumes at. The stack's bounds of a started context only tell
 * AddressSanitizer which stack it runs on (run.c); the kernel trusts
 * nothing to them. */
bool hal_context_import(struct hal_context *ctx, const struct vesper_context *in,
                        struct hal_context_needs *needs)
{
    const vesper_word *w = in->word;
    vesper_word base = w[WORD_STACK_BASE], size = w[WORD_STACK_SIZE], sp = w[WORD_SP];
    bool fresh = w[WORD_FRESH] != 0;
    if (w[WORD_FRESH] > 1 || w[WORD_IN_EXCEPTION] > 1 || (fresh && w[WORD_IN_EXCEPTION]))
        return false;
    if (w[WORD_RESTART] > 1 || (w[WORD_RESTART] && (fresh || w[WORD_IN_EXCEPTION])))
        return false; /* only a domain stopped in a syscall can make it again */
    if (base % 16 != 0 || size % 16 != 0 || size > UINTPTR_MAX - base)
        return false;
    if (fresh ? w[WORD_START_ENTRY] == 0 || size < 256
              : sp % 8 != 0 || sp == 0 || sp > UINTPTR_MAX - SWITCH_FRAME_BYTES)
        return false;
    memset(ctx, 0, sizeof *ctx);
    ctx->sp = fresh ? 0 : sp;
    ctx->frame.number = w[WORD_NUMBER];
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        ctx->frame.arg[i] = w[WORD_ARG0 + i];
    ctx->stack_base = base;
    ctx->stack_size = size;
    ctx->start_entry = w[WORD_START_ENTRY];
    ctx->start_arg = w[WORD_START_ARG];
    ctx->fresh = fresh;
    ctx->exception_pc = w[WORD_EXCEPTION_PC];
    ctx->resume_pc = w[WORD_RESUME_PC];
    ctx->in_exception = (uint32_t)w[WORD_IN_EXCEPTION];
    ctx->restart = (uint32_t)w[WORD_RESTART];
    *needs = (struct hal_context_needs){0};
    needs->base[0] = fresh ? (uintptr_t)base : (uintptr_t)sp;
    needs->size[0] = fresh ? (uintptr_t)size : SWITCH_FRAME_BYTES;
    needs->read_write[0] = true;
    return true;
}
