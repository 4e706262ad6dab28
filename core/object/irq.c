/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* IRQControl and IRQHandler (see irq.h). */
#include "cdt.h"
#include "delete.h"
#include "invoke.h"
#include "ipc.h"
#include "irq.h"
#include "klib.h"
#include "state.h"
#include "trace.h"

void irq_reset(void)
{
    kmemset(kernel.irq, 0, sizeof kernel.irq);
    for (unsigned line = 0; line < hal_irq_count(); line++)
        hal_irq_mask(line); /* whatever an earlier boot left unmasked */
}

/* Unmask the line if it may raise an interrupt now (irq.h). */
static void irq_update_mask(unsigned line)
{
    const struct irq_line *l = &kernel.irq[line];
    if (l->claimed && !l->pending && !cap_is_null(l->notification.cap))
        hal_irq_unmask(line);
    else
        hal_irq_mask(line);
}

void irq_release(unsigned line)
{
    if (line >= HAL_IRQ_LINES_MAX)
        return;
    kernel.irq[line].claimed = false;
    kernel.irq[line].pending = false;
    cap_delete(&kernel.irq[line].notification);
    if (line < hal_irq_count())
        hal_irq_mask(line);
}

void irq_binding_removed(const struct cte *slot)
{
    uintptr_t offset = (uintptr_t)slot - (uintptr_t)kernel.irq;
    if ((uintptr_t)slot < (uintptr_t)kernel.irq || offset >= sizeof kernel.irq)
        return;
    unsigned line = (unsigned)(offset / sizeof kernel.irq[0]);
    if (&kernel.irq[line].notification == slot && line < hal_irq_count())
        irq_update_mask(line);
}

bool irq_any_armed(void)
{
    unsigned count = hal_irq_count();
    for (unsigned line = 0; line < count; line++) {
        const struct irq_line *l = &kernel.irq[line];
        if (l->claimed && !l->pending && !cap_is_null(l->notification.cap))
            return true;
    }
    return false;
}

void irq_raise(unsigned line)
{
    if (line >= hal_irq_count()) {
        kernel.irq_spurious++;
        return;
    }
    hal_irq_mask(line);
    struct irq_line *l = &kernel.irq[line];
    l->raised++;
    if (!l->claimed) {
        kernel.irq_unclaimed++;
        trace_irq(line, NULL);
        return;
    }
    l->pending = true;
    struct cap bound = l->notification.cap;
    trace_irq(line, cap_is_null(bound) ? NULL : object_of(bound));
    if (!cap_is_null(bound))
        notification_signal(object_of(bound), cap_badge(bound));
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

static void invoke_irq_set_notification(unsigned line, struct cte *source)
{
    struct cte *binding = &kernel.irq[line].notification;
    struct cap wanted = source->cap;
    cap_delete(binding);
    /* Deleting the old binding destroys at most a notification; the new
     * one is still there unless it was that very capability's object. */
    if (source->cap.word0 == wanted.word0 && source->cap.word1 == wanted.word1)
        cdt_insert_child(source, binding, wanted);
    irq_update_mask(line);
}

/* Ack: the driver has serviced the device; the line may raise again. */
static struct syscall_result decode_ack(unsigned line)
{
    if (!kernel.irq[line].pending)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    kernel.irq[line].pending = false;
    irq_update_mask(line);
    return result_ok();
}

/* SetNotification(notification, which needs the write right), Clear()
 * and Ack(). */
struct syscall_result decode_irq_handler_invocation(const struct invocation *inv)
{
    unsigned line = irq_handler_line(inv->slot->cap);
    if (inv->label == VESPER_IRQ_HANDLER_CLEAR) {
        cap_delete(&kernel.irq[line].notification);
        irq_update_mask(line);
        return result_ok();
    }
    if (inv->label == VESPER_IRQ_HANDLER_ACK)
        return decode_ack(line);
    if (inv->label != VESPER_IRQ_HANDLER_SET_NOTIFICATION)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (inv->length < VESPER_IRQ_HANDLER_SET_NOTIFICATION_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word notification =
        invocation_arg(inv, VESPER_IRQ_HANDLER_SET_NOTIFICATION_WORD_NOTIFICATION);
    struct lookup found = lookup_argument(inv, notification);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    /* The kernel signals the notification: the capability must allow it,
     * and carry a badge, since a signal of badge 0 sets no bit and an
     * interrupt arriving while the driver is busy would be lost. */
    if (cap_type(found.slot->cap) != CAP_NOTIFICATION ||
        !(cap_rights(found.slot->cap) & VESPER_RIGHT_WRITE) || cap_badge(found.slot->cap) == 0)
        return result_invalid_capability(1);
    invoke_irq_set_notification(line, found.slot);
    return result_ok();
}
