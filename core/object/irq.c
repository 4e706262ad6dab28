/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* IRQControl and IRQHandler (see irq.h). */
#include "cdt.h"
#include "delete.h"
#include "invoke.h"
#include "irq.h"
#include "klib.h"
#include "state.h"

void irq_reset(void)
{
    kmemset(kernel.irq, 0, sizeof kernel.irq);
}

void irq_release(unsigned line)
{
    if (line >= HAL_IRQ_LINES_MAX)
        return;
    kernel.irq[line].claimed = false;
    cap_delete(&kernel.irq[line].notification);
}

static void invoke_irq_control_get(struct cte *control, struct cte *dest, unsigned line)
{
    kernel.irq[line].claimed = true;
    cdt_insert_child(control, dest, cap_make(CAP_IRQ_HANDLER, 0, VESPER_RIGHTS_ALL, 0, line));
}

/* Get: an IRQHandler for the line, in the empty destination slot. */
struct syscall_result decode_irq_control_invocation(const struct invocation *inv)
{
    if (inv->label != VESPER_IRQ_CONTROL_GET)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (inv->length < VESPER_IRQ_CONTROL_GET_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word line = invocation_arg(inv, VESPER_IRQ_CONTROL_GET_WORD_LINE);
    if (line >= hal_irq_count())
        return result_range(0, hal_irq_count() - 1);
    if (kernel.irq[line].claimed)
        return result_error(VESPER_ERR_REVOKE_FIRST);
    struct cte *dest;
    struct syscall_result r =
        lookup_relative_slot(inv, invocation_arg(inv, VESPER_IRQ_CONTROL_GET_WORD_ROOT),
                             invocation_arg(inv, VESPER_IRQ_CONTROL_GET_WORD_INDEX),
                             invocation_arg(inv, VESPER_IRQ_CONTROL_GET_WORD_DEPTH), 1, &dest);
    if (r.error != VESPER_OK)
        return r;
    if (!cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    invoke_irq_control_get(inv->slot, dest, (unsigned)line);
    return result_ok();
}

static void invoke_irq_set_notification(struct cte *binding, struct cte *source)
{
    struct cap wanted = source->cap;
    cap_delete(binding);
    /* Deleting the old binding destroys at most a notification; the new
     * one is still there unless it was that very capability's object. */
    if (source->cap.word0 == wanted.word0 && source->cap.word1 == wanted.word1)
        cdt_insert_child(source, binding, wanted);
}

/* SetNotification(notification, which needs the write right) and Clear(). */
struct syscall_result decode_irq_handler_invocation(const struct invocation *inv)
{
    struct irq_line *line = &kernel.irq[irq_handler_line(inv->slot->cap)];
    if (inv->label == VESPER_IRQ_HANDLER_CLEAR) {
        cap_delete(&line->notification);
        return result_ok();
    }
    if (inv->label != VESPER_IRQ_HANDLER_SET_NOTIFICATION)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (inv->length < VESPER_IRQ_HANDLER_SET_NOTIFICATION_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word notification =
        invocation_arg(inv, VESPER_IRQ_HANDLER_SET_NOTIFICATION_WORD_NOTIFICATION);
    struct lookup found = lookup_argument(inv, notification);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    /* The kernel signals the notification: the capability must allow it. */
    if (cap_type(found.slot->cap) != CAP_NOTIFICATION ||
        !(cap_rights(found.slot->cap) & VESPER_RIGHT_WRITE))
        return result_invalid_capability(1);
    invoke_irq_set_notification(&line->notification, found.slot);
    return result_ok();
}
