/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * IPC (see ipc.h): message transfer, endpoints, notifications, replies,
 * faults and what happens to them when objects go away.
 *
 * A message is a tag and up to VESPER_MSG_MAX words: words 0-3 travel in
 * registers, the rest between the two IPC buffers; without a buffer on
 * either side a message is cut to its register words (the tag the receiver
 * sees says how many arrived). With the grant right, up to three
 * capabilities go along (transfer_caps).
 */
#include <vesper/message.h>
#include <vesper/syscall.h>

#include "cdt.h"
#include "console.h"
#include "cspace.h"
#include "ipc.h"
#include "kernel.h"
#include "objecttype.h"
#include "sched.h"
#include "state.h"

void ipc_set_error(struct domain *d, enum vesper_error error)
{
    ipc_set_results(d, error, 0, NULL, 0);
}

/* A message about to move: its tag, words and, for the rest, where. */
struct message {
    uint64_t label;
    unsigned length;
    unsigned caps;
    uint64_t words[VESPER_MSG_REGISTERS];
};

static struct message message_of(struct domain *sender)
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
            continue;
        }
        struct cte *slot = copied ? NULL : receive_slot(receiver, to);
        if (slot == NULL)
            break;
        cdt_insert_child(found.slot, slot, cap);
        copied = true;
    }
    return moved | unwrapped << 2;
}

/* Copy the sender's message to the receiver and end the receiver's
 * syscall with it. */
static void transfer_message(struct domain *sender, struct domain *receiver,
                             struct endpoint *through, uint64_t badge, bool grant)
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
}

static void endpoint_dequeue(struct endpoint *ep, struct domain *d)
{
    queue_remove(&ep->queue, d);
    if (ep->queue.head == NULL)
        ep->state = ENDPOINT_IDLE;
    d->blocked_on = NULL;
}

static void endpoint_block(struct endpoint *ep, struct domain *d, enum domain_state state,
                           enum endpoint_state ep_state)
{
    sched_remove(d);
    d->state = state;
    d->blocked_on = ep;
    queue_append(&ep->queue, d);
    ep->state = ep_state;
}

/* The receiver's offered Reply object, taken back from it. */
static struct reply *take_offered_reply(struct domain *receiver)
{
    struct reply *reply = receiver->reply;
    receiver->reply = NULL;
    if (reply != NULL)
        reply->receiver = NULL;
    return reply;
}

/* A Call (or fault) that reached a receiver: bind the Reply object, or, if
 * the receiver offered none, no answer can ever come. */
static void bind_reply(struct domain *caller, struct reply *reply)
{
    if (reply == NULL) {
        if (caller->ipc_flags & IPC_FAULT) {
            domain_stop(caller, 0);
            kprintf("vesper: a domain stopped: its fault handler took no reply object\n");
        } else {
            ipc_set_error(caller, VESPER_ERR_ILLEGAL_OPERATION);
            sched_make_runnable(caller);
        }
        return;
    }
    sched_remove(caller);
    caller->state = DOMAIN_BLOCKED_REPLY;
    caller->blocked_on = NULL;
    caller->reply = reply;
    reply->caller = caller;
}

/* Sender meets receiver: the message moves, the receiver wakes; a Call
 * binds the receiver's Reply object and, from the running domain, hands
 * the CPU to the receiver. */
static void deliver(struct domain *sender, struct domain *receiver, struct endpoint *ep,
                    uint64_t badge, uint32_t flags)
{
    sender->ipc_flags = flags;
    transfer_message(sender, receiver, ep, badge, flags & IPC_GRANT);
    struct reply *reply = take_offered_reply(receiver);
    sched_make_runnable(receiver);
    if (flags & IPC_CALL) {
        bool handoff = sender == kernel.current;
        bind_reply(sender, reply);
        if (handoff && sender->state == DOMAIN_BLOCKED_REPLY)
            sched_hand_off(receiver);
        return;
    }
    ipc_set_error(sender, VESPER_OK);
    sched_make_runnable(sender);
}

void endpoint_send(struct domain *sender, struct endpoint *ep, uint64_t badge,
                   uint32_t flags, bool blocking)
{
    if (ep->state == ENDPOINT_RECV) {
        struct domain *receiver = ep->queue.head;
        endpoint_dequeue(ep, receiver);
        deliver(sender, receiver, ep, badge, flags);
        return;
    }
    if (!blocking) {
        ipc_set_error(sender, VESPER_OK); /* no receiver: dropped, as promised */
        return;
    }
    sender->ipc_badge = badge;
    sender->ipc_flags = flags;
    endpoint_block(ep, sender, DOMAIN_BLOCKED_SEND, ENDPOINT_SEND);
}

void endpoint_receive(struct domain *receiver, struct endpoint *ep, struct reply *reply,
                      bool blocking)
{
    struct notification *bound = receiver->bound;
    if (bound != NULL && bound->word != 0) {
        notification_wait(receiver, bound, false);
        return;
    }
    if (ep->state == ENDPOINT_SEND) {
        struct domain *sender = ep->queue.head;
        endpoint_dequeue(ep, sender);
        receiver->reply = reply;
        if (reply != NULL)
            reply->receiver = receiver;
        deliver(sender, receiver, ep, sender->ipc_badge, sender->ipc_flags);
        return;
    }
    if (!blocking) {
        ipc_set_error(receiver, VESPER_ERR_WOULD_BLOCK);
        return;
    }
    receiver->reply = reply;
    if (reply != NULL)
        reply->receiver = receiver;
    endpoint_block(ep, receiver, DOMAIN_BLOCKED_RECV, ENDPOINT_RECV);
}

/* The handler answered a fault: label 0 resumes the domain, anything else
 * stops it. */
static void fault_reply(struct domain *replier, struct domain *faulted)
{
    struct message m = message_of(replier);
    uint32_t kind = faulted->fault;
    faulted->fault = 0;
    faulted->ipc_flags = 0;
    if (m.label != 0) {
        domain_stop(faulted, 0);
        return;
    }
    if (kind == VESPER_FAULT_UNKNOWN_SYSCALL)
        transfer_message(replier, faulted, NULL, 0, false);
    else if (m.length >= 1)
        hal_context_set_pc(&faulted->context, (uintptr_t)m.words[0]);
    sched_make_runnable(faulted);
}

enum vesper_error reply_send(struct domain *replier, struct reply *reply)
{
    struct domain *caller = reply->caller;
    if (caller == NULL)
        return VESPER_ERR_ILLEGAL_OPERATION;
    reply->caller = NULL;
    caller->reply = NULL;
    if (caller->ipc_flags & IPC_FAULT) {
        fault_reply(replier, caller);
        return VESPER_OK;
    }
    caller->ipc_flags = 0;
    transfer_message(replier, caller, NULL, 0, false);
    sched_make_runnable(caller);
    return VESPER_OK;
}

void notification_signal(struct notification *n, uint64_t badge)
{
    struct domain *waiter = n->queue.head;
    if (waiter != NULL) {
        queue_remove(&n->queue, waiter);
        ipc_set_results(waiter, VESPER_OK, 0, NULL, badge);
        sched_make_runnable(waiter);
        return;
    }
    /* A bound domain receiving on an endpoint takes every pending bit (it
     * may have been bound with some already set), as Wait would. */
    struct domain *bound = n->bound;
    if (bound != NULL && bound->state == DOMAIN_BLOCKED_RECV) {
        struct endpoint *ep = bound->blocked_on;
        endpoint_dequeue(ep, bound);
        take_offered_reply(bound);
        ipc_set_results(bound, VESPER_OK, 0, NULL, n->word | badge);
        n->word = 0;
        sched_make_runnable(bound);
        return;
    }
    n->word |= badge;
}

void notification_wait(struct domain *d, struct notification *n, bool blocking)
{
    if (n->word != 0 || !blocking) {
        uint64_t word = n->word;
        n->word = 0;
        ipc_set_results(d, VESPER_OK, 0, NULL, word);
        return;
    }
    sched_remove(d);
    d->state = DOMAIN_BLOCKED_NTFN;
    d->blocked_on = n;
    queue_append(&n->queue, d);
}

static const char *fault_name(uint32_t kind)
{
    switch (kind) {
    case VESPER_FAULT_UNKNOWN_SYSCALL: return "unknown syscall";
    case VESPER_FAULT_USER_EXCEPTION: return "user exception";
    case VESPER_FAULT_PAGE: return "page fault";
    default: return "fault";
    }
}

void fault_raise(struct domain *d, uint32_t kind, uint64_t w0, uint64_t w1, uint64_t w2)
{
    struct cap handler = d->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap;
    if (cap_type(handler) != CAP_ENDPOINT) {
        kprintf("vesper: domain %p stopped: %s (0x%lx, pc 0x%lx, 0x%lx) and no fault handler\n",
                (void *)d, fault_name(kind), (unsigned long)w0, (unsigned long)w1,
                (unsigned long)w2);
        domain_stop(d, 0);
        return;
    }
    d->fault = kind;
    d->fault_words[0] = w0;
    d->fault_words[1] = w1;
    d->fault_words[2] = w2;
    d->fault_words[3] = 0;
    uint32_t flags = IPC_CALL | IPC_FAULT;
    endpoint_send(d, object_of(handler), cap_badge(handler), flags, true);
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
    if (d->state == DOMAIN_STOPPED)
        return;
    d->state = DOMAIN_STOPPED;
    d->exit_status = status;
    d->fault = 0;
    d->ipc_flags = 0;
}

/* A waiter whose object went away: its syscall ends with CANCELLED. */
static void wake_cancelled(struct domain *d)
{
    d->blocked_on = NULL;
    if (d->reply != NULL && d->reply->receiver == d) {
        d->reply->receiver = NULL;
        d->reply = NULL;
    }
    if (d->ipc_flags & IPC_FAULT) {
        kprintf("vesper: domain %p stopped: its fault was cancelled\n", (void *)d);
        domain_stop(d, 0);
        return;
    }
    d->ipc_flags = 0;
    ipc_set_error(d, VESPER_ERR_CANCELLED);
    sched_make_runnable(d);
}

void endpoint_cancel_all(struct endpoint *ep)
{
    struct domain *d;
    while ((d = queue_pop(&ep->queue)) != NULL)
        wake_cancelled(d);
    ep->state = ENDPOINT_IDLE;
}

void endpoint_cancel_badged(struct endpoint *ep, uint64_t badge)
{
    if (ep->state != ENDPOINT_SEND)
        return;
    struct domain *d = ep->queue.head;
    while (d != NULL) {
        struct domain *next = d->queue_next;
        if (d->ipc_badge == badge) {
            endpoint_dequeue(ep, d);
            wake_cancelled(d);
        }
        d = next;
    }
}

void notification_cancel_all(struct notification *n)
{
    struct domain *d;
    while ((d = queue_pop(&n->queue)) != NULL)
        wake_cancelled(d);
    if (n->bound != NULL) {
        n->bound->bound = NULL;
        n->bound = NULL;
    }
}

void reply_cancel(struct reply *reply)
{
    struct domain *caller = reply->caller;
    struct domain *receiver = reply->receiver;
    reply->caller = NULL;
    reply->receiver = NULL;
    if (receiver != NULL)
        receiver->reply = NULL;
    if (caller != NULL) {
        caller->reply = NULL;
        wake_cancelled(caller);
    }
}
