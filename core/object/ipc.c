/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the IPC objects share (see ipc.h): message transfer between two
 * domains, ending a waiter's syscall when its object goes away, and undoing
 * a domain's IPC when it stops. The objects themselves are in endpoint.c,
 * notification.c, reply.c and fault.c.
 *
 * A message is a tag and up to VESPER_MSG_MAX words: words 0-3 travel in
 * registers, the rest between the two IPC buffers; without a buffer on
 * either side a message is cut to its register words (the tag the receiver
 * sees says how many arrived). With the grant right, up to three
 * capabilities go along (transfer_caps).
 */
#include <vesper/message.h>
#include <vesper/syscall.h>

#include "activation.h"
#include "cdt.h"
#include "console.h"
#include "cspace.h"
#include "ipc.h"
#include "objecttype.h"
#include "sched.h"
#include "scheduler.h"
#include "state.h"
#include "trace.h"

void ipc_set_error(struct domain *d, enum vesper_error error)
{
    ipc_set_results(d, error, 0, NULL, 0);
}

struct message message_of(struct domain *sender)
{
    struct message m = {0};
    if (sender->ipc_flags & IPC_FAULT) {
        m.label = sender->fault;
        m.length = VESPER_MSG_REGISTERS;
        for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
            m.words[i] = sender->fault_words[i];
        return m;
    }
    struct vesper_syscall_frame frame;
    hal_context_get_syscall(&sender->context, &frame);
    m.label = vesper_tag_label(frame.arg[1]);
    m.length = vesper_tag_length(frame.arg[1]);
    m.caps = vesper_tag_caps(frame.arg[1]);
    if (m.length > VESPER_MSG_MAX)
        m.length = VESPER_MSG_MAX;
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS && i < m.length; i++)
        m.words[i] = frame.arg[2 + i];
    return m;
}

/* The empty slot the receiver named in its IPC buffer, or NULL. */
static struct cte *receive_slot(struct domain *receiver, const struct vesper_ipc_buffer *buffer)
{
    struct cap cspace = receiver->slots[DOMAIN_SLOT_CSPACE].cap;
    struct lookup root = cspace_lookup_invocation(cspace, buffer->receive_cnode);
    if (root.error != VESPER_OK || cap_type(root.slot->cap) != CAP_CNODE)
        return NULL;
    if (buffer->receive_depth > 64)
        return NULL;
    struct lookup slot = cspace_lookup_slot(root.slot->cap, buffer->receive_index,
                                            (unsigned)buffer->receive_depth);
    if (slot.error != VESPER_OK || !cap_is_null(slot.slot->cap))
        return NULL;
    return slot.slot;
}

/* Transfer up to count capabilities named in the sender's buffer. An
 * endpoint capability to `through` (the endpoint carrying the message) is
 * unwrapped to its badge; one other capability may be copied into the
 * receiver's receive slot. The first that cannot go stops the transfer.
 * Returns the tag bits: count | unwrapped mask << 2. */
static unsigned transfer_caps(struct domain *sender, struct domain *receiver,
                              struct endpoint *through, unsigned count)
{
    struct vesper_ipc_buffer *from = domain_ipc_buffer(sender);
    struct vesper_ipc_buffer *to = domain_ipc_buffer(receiver);
    unsigned moved = 0, unwrapped = 0;
    bool copied = false;
    if (from == NULL || to == NULL)
        return 0;
    struct cap cspace = sender->slots[DOMAIN_SLOT_CSPACE].cap;
    for (; moved < count; moved++) {
        struct lookup found = cspace_lookup_invocation(cspace, from->caps_or_badges[moved]);
        if (found.error != VESPER_OK || !cap_is_copyable(found.slot->cap))
            break;
        struct cap cap = found.slot->cap;
        if (cap_type(cap) == CAP_ENDPOINT && through != NULL && object_of(cap) == through) {
            to->caps_or_badges[moved] = cap_badge(cap);
            unwrapped |= 1u << moved;
            trace_transfer(sender, receiver, cap, NULL);
            continue;
        }
        struct cte *slot = copied ? NULL : receive_slot(receiver, to);
        if (slot == NULL)
            break;
        cdt_insert_child(found.slot, slot, cap);
        copied = true;
        trace_transfer(sender, receiver, cap, slot);
    }
    return moved | unwrapped << 2;
}

/* Copy the sender's message to the receiver and end the receiver's
 * syscall with it. */
void transfer_message(struct domain *sender, struct domain *receiver, struct endpoint *through,
                      uint64_t badge, bool grant)
{
    struct message m = message_of(sender);
    if (m.length > VESPER_MSG_REGISTERS) {
        struct vesper_ipc_buffer *from = domain_ipc_buffer(sender);
        struct vesper_ipc_buffer *to = domain_ipc_buffer(receiver);
        if (from == NULL || to == NULL || (sender->ipc_flags & IPC_FAULT))
            m.length = VESPER_MSG_REGISTERS;
        else
            for (unsigned i = VESPER_MSG_REGISTERS; i < m.length; i++)
                to->msg[i] = from->msg[i];
    }
    unsigned caps = grant && m.caps != 0 ? transfer_caps(sender, receiver, through, m.caps) : 0;
    uint64_t tag = vesper_tag(m.label, m.length, caps & 3u) | (uint64_t)(caps >> 2) << 9;
    ipc_set_results(receiver, VESPER_OK, tag, m.words, badge);
    trace_message(sender, receiver, through, tag, m.words, badge, sender->ipc_flags);
}

/* Undo whatever IPC the domain is in the middle of. A sender whose
 * blocked_on is NULL was already taken off the endpoint's queue (a queued
 * fault being delivered without a Reply object, or cancelled, which stops
 * it): there is nothing to dequeue. */
static void domain_cancel_ipc(struct domain *d)
{
    switch (d->state) {
    case DOMAIN_BLOCKED_SEND:
    case DOMAIN_BLOCKED_RECV:
        if (d->blocked_on != NULL)
            endpoint_dequeue(d->blocked_on, d);
        break;
    case DOMAIN_BLOCKED_NTFN:
        queue_remove(&((struct notification *)d->blocked_on)->queue, d);
        break;
    case DOMAIN_RUNNABLE:
        sched_remove(d);
        break;
    default:
        break;
    }
    if (d->reply != NULL) {
        if (d->reply->caller == d)
            d->reply->caller = NULL;
        if (d->reply->receiver == d)
            d->reply->receiver = NULL;
        d->reply = NULL;
    }
    if (d->bound != NULL) {
        d->bound->bound = NULL;
        d->bound = NULL;
    }
    d->blocked_on = NULL;
}

/* Idempotent: a domain already stopped keeps its exit status, but its IPC
 * state is undone again, so that destroying it always leaves no link to
 * it anywhere (a stopped domain can hold none: decode_bind refuses one). */
void domain_stop(struct domain *d, int status)
{
    domain_cancel_ipc(d);
    endpoint_cancel_release(d);
    activation_reset(d);
    scheduler_forget(d);
    if (d->state == DOMAIN_STOPPED)
        return;
    d->state = DOMAIN_STOPPED;
    d->exit_status = status;
    trace_sched(KERNEL_TRACE_STOP, d, (uint64_t)status);
    d->fault = 0;
    d->ipc_flags = 0;
}

/* A waiter whose object went away: its syscall ends with CANCELLED. */
void wake_cancelled(struct domain *d)
{
    d->blocked_on = NULL;
    if (d->reply != NULL && d->reply->receiver == d) {
        d->reply->receiver = NULL;
        d->reply = NULL;
    }
    if (d->ipc_flags & IPC_FAULT) {
        kprintf("vesper: domain 0x%lx stopped: its fault was cancelled\n",
                (unsigned long)hal_user_address(d));
        domain_stop(d, 0);
        return;
    }
    d->ipc_flags = 0;
    ipc_set_error(d, VESPER_ERR_CANCELLED);
    sched_make_runnable(d);
}
