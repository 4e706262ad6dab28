/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * IPC: endpoints (endpoint.c), notifications (notification.c), one-shot
 * replies (reply.c), faults (fault.c), and what they share (ipc.c).
 *
 * Every function here completes the operation for the domains involved:
 * it writes the results of each domain whose syscall ends (through
 * ipc_set_results) and moves domains between running, runnable and
 * blocked. A domain that blocks keeps its message in its saved registers
 * and IPC buffer until a partner arrives.
 */
#ifndef VESPER_CORE_IPC_H
#define VESPER_CORE_IPC_H

#include <stdbool.h>
#include <stdint.h>

#include <vesper/error.h>
#include <vesper/message.h>

#include "domain.h"
#include "objects.h"

/* Write a domain's syscall results: error, tag, four message words, badge. */
static inline void ipc_set_results(struct domain *d, enum vesper_error error, uint64_t tag,
                                   const uint64_t words[4], uint64_t badge)
{
    struct hal_context *ctx = &d->context;
    hal_context_set_result(ctx, 0, (uint64_t)error);
    hal_context_set_result(ctx, 1, tag);
    for (unsigned i = 0; i < 4; i++)
        hal_context_set_result(ctx, 2 + i, words != NULL ? words[i] : 0);
    hal_context_set_result(ctx, 6, badge);
}

/* End d's syscall with just an error (other words zero). */
void ipc_set_error(struct domain *d, enum vesper_error error);

/* Send on an endpoint with a capability's badge. flags: IPC_CALL, IPC_GRANT,
 * IPC_FAULT. Without `blocking` and with no receiver the message is dropped. */
void endpoint_send(struct domain *sender, struct endpoint *ep, uint64_t badge,
                   uint32_t flags, bool blocking);

/* Receive on an endpoint, offering a Reply object (or NULL) for a Call. */
void endpoint_receive(struct domain *receiver, struct endpoint *ep, struct reply *reply,
                      bool blocking);

/* Answer the Call bound to reply with the replier's message. Returns
 * VESPER_ERR_ILLEGAL_OPERATION (changing nothing) if none is bound. */
enum vesper_error reply_send(struct domain *replier, struct reply *reply);

void notification_signal(struct notification *n, uint64_t badge);
void notification_wait(struct domain *d, struct notification *n, bool blocking);

/* Deliver a fault of d (the current domain, or a blocked one): a Call on
 * its fault endpoint, or, without one, stop it with a logged reason. */
void fault_raise(struct domain *d, uint32_t kind, uint64_t w0, uint64_t w1, uint64_t w2,
                 uint64_t w3);

/* Stop d for good: off every queue, its IPC cancelled, never runs again. */
void domain_stop(struct domain *d, int status);

/* Destruction: wake every waiter with VESPER_ERR_CANCELLED and forget the
 * object's links to domains. */
void endpoint_cancel_all(struct endpoint *ep);
/* One step of that, for a preemptible deletion: wake the first domain
 * queued (VESPER_ERR_CANCELLED). Whether one was. */
bool endpoint_cancel_first(struct endpoint *ep);
bool notification_cancel_first(struct notification *n);
/* CancelBadgedSends: every sender queued on ep with badge ends with
 * VESPER_ERR_CANCELLED, looked at in queue order with a preemption point
 * after each. False when a point stopped it: the caller keeps its place,
 * and its next CancelBadgedSends on ep with that badge goes on from there.
 * Senders that queue meanwhile join at the end, so they are looked at
 * too. */
bool endpoint_cancel_badged(struct domain *caller, struct endpoint *ep, uint64_t badge);
/* Drop the place a stopped CancelBadgedSends of owner's keeps. */
void endpoint_cancel_release(struct domain *owner);
void notification_cancel_all(struct notification *n);
void reply_cancel(struct reply *reply);

/* ---- Shared by the IPC object files (ipc.c, endpoint.c, reply.c,
 * notification.c, fault.c) ----------------------------------------------- */

/* A message about to move: its tag, words and, for the rest, where. */
struct message {
    uint64_t label;
    unsigned length;
    unsigned caps;
    uint64_t words[VESPER_MSG_REGISTERS];
};

/* The message a sender offers: its syscall's tag and words, or its fault. */
struct message message_of(struct domain *sender);

/* Move the sender's message (and, with grant, capabilities) to the
 * receiver and write the receiver's results. `through` is the endpoint it
 * came through (NULL for a reply), for unwrapping. */
void transfer_message(struct domain *sender, struct domain *receiver, struct endpoint *through,
                      uint64_t badge, bool grant);

/* Take d off ep's queue; the endpoint goes idle when the queue empties. */
void endpoint_dequeue(struct endpoint *ep, struct domain *d);

/* The receiver's offered Reply object, taken back from it (or NULL). */
struct reply *take_offered_reply(struct domain *receiver);

/* A waiter whose object went away: its syscall ends with CANCELLED (a
 * waiting fault stops the domain instead). */
void wake_cancelled(struct domain *d);

#endif
