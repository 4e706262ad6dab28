/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Activations: upcalls, the save area and VESPER_SYS_RESUME (activation.h). */
#include <vesper/error.h>

#include "activation.h"
#include "ipc.h"
#include "state.h"
#include "trace.h"

struct vesper_control *activation_block(const struct domain *d)
{
    if (d->control == 0)
        return NULL;
    return domain_user_view(d, d->control, sizeof(struct vesper_control),
                            VESPER_RIGHT_READ | VESPER_RIGHT_WRITE);
}

/* Whether [base, base + size) can be an activation stack: what Start asks
 * of a domain's first stack. */
static bool stack_usable(vesper_word base, vesper_word size)
{
    return base % 16 == 0 && size % 16 == 0 && size >= 256 && base <= UINTPTR_MAX &&
           size <= UINTPTR_MAX - base && hal_kernel_view((uintptr_t)base, (size_t)size) != NULL;
}

bool activation_upcall(struct domain *d, unsigned reason, bool save)
{
    struct vesper_control *block = activation_block(d);
    if (block == NULL)
        return false;
    vesper_word entry = block->entry; /* each word read once: the domain owns them */
    vesper_word base = block->stack_base;
    vesper_word size = block->stack_size;
    if (entry == 0 || entry > UINTPTR_MAX || !stack_usable(base, size))
        return false;
    if (save) {
        d->saved = d->context;
        d->saved_valid = 1;
        hal_context_export(&d->saved, &block->saved);
    }
    hal_context_init_user(&d->context, (uintptr_t)entry, (uintptr_t)base,
                          (uintptr_t)(base + size), (vesper_word)d->control | reason);
    hal_context_set_ipc_buffer(&d->context, d->ipc_buffer);
    block->disabled = 1;
    block->reason = reason;
    trace_sched(KERNEL_TRACE_UPCALL, d, reason);
    block->upcalls++;
    block->now_ns = hal_clock_now_ns();
    return true;
}

/* Mark an upcall for reason pending, or missed while activations are off. */
static void note_upcall(struct domain *d, unsigned reason)
{
    struct vesper_control *block = activation_block(d);
    if (block == NULL || block->entry == 0)
        return;
    if (block->disabled)
        block->missed |= (vesper_word)1 << reason;
    else if (d->upcall_pending == 0)
        d->upcall_pending = reason;
}

void activation_note_preempted(struct domain *d)
{
    note_upcall(d, VESPER_UPCALL_PREEMPTED);
}

void activation_note_event(struct domain *d)
{
    note_upcall(d, VESPER_UPCALL_EVENT);
}

void activation_make_pending_upcall(struct domain *d)
{
    unsigned reason = d->upcall_pending;
    d->upcall_pending = 0;
    struct vesper_control *block = activation_block(d);
    if (block == NULL)
        return;
    if (block->disabled) /* disabled since it was preempted */
        block->missed |= (vesper_word)1 << reason;
    else
        activation_upcall(d, reason, true);
}

void activation_reset(struct domain *d)
{
    d->saved_valid = 0;
    d->upcall_pending = 0;
}

bool activation_fault_upcall(struct domain *d, uint32_t kind, const uint64_t words[4])
{
    struct vesper_control *block = activation_block(d);
    if (block == NULL || block->disabled || !(block->flags & VESPER_CONTROL_FAULT_UPCALLS))
        return false;
    if (!activation_upcall(d, VESPER_UPCALL_FAULT, true))
        return false;
    block->fault_kind = kind;
    for (unsigned i = 0; i < 4; i++)
        block->fault_word[i] = words[i];
    return true;
}

/* The context at address, checked: in memory the caller may read (its
 * PDom's grants, or the boot image, where a program's static data lies),
 * one this HAL can resume, and needing no memory the caller may not use. */
static enum vesper_error import_context(struct domain *caller, vesper_word address,
                                        struct hal_context *ctx)
{
    if (address % 8 != 0)
        return VESPER_ERR_ALIGNMENT;
    const struct vesper_context *user =
        address > UINTPTR_MAX ? NULL
                              : domain_user_view(caller, (uintptr_t)address,
                                                 sizeof(struct vesper_context),
                                                 VESPER_RIGHT_READ);
    if (user == NULL)
        return VESPER_ERR_INVALID_ADDRESS;
    struct vesper_context copy; /* read once: other domains may write it */
    hal_copy_from_view(&copy, user, sizeof copy);
    struct hal_context_needs needs;
    if (!hal_context_import(ctx, &copy, &needs))
        return VESPER_ERR_INVALID_ARGUMENT;
    for (unsigned i = 0; i < 2; i++) {
        unsigned access = VESPER_RIGHT_READ | (needs.read_write[i] ? VESPER_RIGHT_WRITE : 0);
        if (needs.size[i] != 0 &&
            domain_user_view(caller, needs.base[i], needs.size[i], access) == NULL)
            return VESPER_ERR_INVALID_ARGUMENT;
    }
    return VESPER_OK;
}

/* Resume: a saved context runs again and activations are enabled, in one
 * kernel entry. With no address, the context the kernel took: nothing
 * saved (no upcall since the last Resume) answers ILLEGAL_OPERATION. With
 * one, the context the caller keeps there, checked first. Every error
 * changes nothing; so does a caller without a usable control block. */
struct syscall_result sys_resume(struct domain *caller, const struct vesper_syscall_frame *frame)
{
    struct vesper_control *block = activation_block(caller);
    if (block == NULL)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    vesper_word address = frame->arg[0];
    if (address == 0) {
        if (!caller->saved_valid)
            return result_error(VESPER_ERR_ILLEGAL_OPERATION);
        caller->context = caller->saved;
    } else {
        struct hal_context imported;
        enum vesper_error error = import_context(caller, address, &imported);
        if (error != VESPER_OK)
            return result_error(error);
        caller->context = imported;
    }
    caller->saved_valid = 0;
    hal_context_set_ipc_buffer(&caller->context, caller->ipc_buffer);
    block->disabled = 0;
    return result_done(); /* the context keeps its own results */
}
