/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Activations: upcalls, the save area and VESPER_SYS_RESUME (activation.h). */
#include <vesper/error.h>

#include "activation.h"
#include "ipc.h"
#include "state.h"

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
    }
    hal_context_init_user(&d->context, (uintptr_t)entry, (uintptr_t)base,
                          (uintptr_t)(base + size), (vesper_word)d->control | reason);
    hal_context_set_ipc_buffer(&d->context, d->ipc_buffer);
    block->disabled = 1;
    block->reason = reason;
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

/* Resume: the caller's saved context runs again, as it was when the kernel
 * took the CPU, and activations are enabled, in one kernel entry. Nothing
 * saved (no upcall since the last Resume) answers ILLEGAL_OPERATION and
 * changes nothing; so does a caller without a usable control block. */
struct syscall_result sys_resume(struct domain *caller)
{
    struct vesper_control *block = activation_block(caller);
    if (block == NULL || !caller->saved_valid)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    uintptr_t ipc_buffer = caller->ipc_buffer;
    caller->context = caller->saved;
    caller->saved_valid = 0;
    hal_context_set_ipc_buffer(&caller->context, ipc_buffer);
    block->disabled = 0;
    return result_done(); /* the saved context keeps its own results */
}
