/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Endpoints (see ipc.h): senders and receivers meet in a queue of whichever
 * side arrived first; a Call binds the receiver's Reply object and hands
 * the CPU to it. Destroying an endpoint cancels every waiter.
 */
#include "console.h"
#include "ipc.h"
#include "preempt.h"
#include "sched.h"
#include "state.h"
#include "trace.h"

/* Take d off ep's queue; the endpoint goes idle when the queue empties. */
/* A CancelBadgedSends stopped at a preemption point keeps its place in the
 * queue as the sender it looks at next (`cancel_next` of the domain that
 * made it, whose `cancel_owner` that sender is). When that sender leaves
 * the queue, the place moves to the one after it; past the end, it is
 * dropped, and the next attempt looks at the whole queue again. */
static void cancel_place_moves_on(struct domain *d)
{
    struct domain *owner = d->cancel_owner;
    if (owner == NULL)
        return;
    d->cancel_owner = NULL;
    owner->cancel_next = d->queue_next;
    if (owner->cancel_next != NULL)
        owner->cancel_next->cancel_owner = owner;
    else
        endpoint_cancel_release(owner);
}

void endpoint_cancel_release(struct domain *owner)
{
    if (owner->cancel_next != NULL)
        owner->cancel_next->cancel_owner = NULL;
    owner->cancel_next = NULL;
    owner->cancel_endpoint = NULL;
    owner->cancel_badge = 0;
}

static void cancel_hold(struct domain *owner, struct endpoint *ep, uint64_t badge,
                        struct domain *next)
{
    owner->cancel_endpoint = ep;
    owner->cancel_badge = badge;
    owner->cancel_next = next;
    next->cancel_owner = owner;
}

void endpoint_dequeue(struct endpoint *ep, struct domain *d)
{
    cancel_place_moves_on(d);
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
    trace_block(d, state, ep);
}

struct reply *take_offered_reply(struct domain *receiver)
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
    trace_block(caller, DOMAIN_BLOCKED_REPLY, reply);
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

void endpoint_cancel_all(struct endpoint *ep)
{
    while (endpoint_cancel_first(ep)) {
    }
}

bool endpoint_cancel_first(struct endpoint *ep)
{
    struct domain *d = ep->queue.head;
    if (d == NULL)
        return false;
    endpoint_dequeue(ep, d);
    wake_cancelled(d);
    return true;
}

bool endpoint_cancel_badged(struct domain *caller, struct endpoint *ep, uint64_t badge)
{
    struct domain *d = ep->state == ENDPOINT_SEND ? ep->queue.head : NULL;
    if (caller->cancel_endpoint == ep && caller->cancel_badge == badge)
        d = caller->cancel_next; /* a sender on ep's queue: the attempt before stopped there */
    endpoint_cancel_release(caller);
    while (d != NULL) {
        struct domain *next = d->queue_next;
        if (d->ipc_badge == badge) {
            endpoint_dequeue(ep, d);
            wake_cancelled(d);
        }
        d = next;
        if (d != NULL && preemption_point()) {
            cancel_hold(caller, ep, badge, d);
            return false;
        }
    }
    return true;
}
