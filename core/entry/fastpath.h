/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The IPC fast path: Call and ReplyRecv with a short message (at most the
 * four register words) and no capabilities, when the partner is already
 * waiting. It hands the CPU over directly, skipping the general path, and
 * leaves exactly the state and results the general path would.
 */
#ifndef VESPER_CORE_FASTPATH_H
#define VESPER_CORE_FASTPATH_H

#include <stdbool.h>

#include <vesper/message.h>
#include <vesper/syscall.h>

#include "cspace.h"
#include "domain.h"
#include "ipc.h"
#include "objects.h"
#include "sched.h"
#include "state.h"
#include "trace.h"

/* The two halves: each hands the CPU to its partner (the server a Call
 * reached, the client a ReplyRecv answered) through sched_run() and
 * returns true; false, with nothing changed, when the syscall does not
 * qualify. The hand-off is decided here rather than in sched_choose(): the
 * fast path exists to skip the general decision, and its checks already
 * establish what sched_choose() would conclude (the partner waits, the
 * caller blocks). Every check comes first and any doubt sends the syscall
 * down the general path; then the hand-off is a handful of stores.
 * tests/unit/test_fastpath.c runs the same exchanges with the fast path on
 * and off and compares the results.
 *
 * All of it is inline, in this header, so that the one entry that uses it
 * (kernel_entry_syscall()) compiles it in place: as calls, the two halves'
 * prologues and epilogues and the lookups' repeated checks cost about 40
 * of a round trip's kernel instructions (docs/decisions.md). */

/* The capability at cptr in the CSpace root if it has the type and right
 * wanted. one_level is cspace_is_one_level(root), which a caller looking up
 * two capabilities works out once: such a CSpace (the usual case) is
 * looked up inline. */
static inline bool find_cap(struct cap root, bool one_level, vesper_word cptr,
                            enum cap_type type, unsigned right, struct cap *cap)
{
    struct cte *slot = one_level ? cspace_one_level_slot(root, cptr) : NULL;
    if (slot == NULL) {
        struct lookup found = cspace_lookup_invocation(root, cptr);
        if (found.error != VESPER_OK)
            return false;
        slot = found.slot;
    }
    *cap = slot->cap;
    return cap_type(*cap) == type && (right == 0 || (cap_rights(*cap) & right));
}

/* The tag a receiver gets for a message with no capabilities: the sender's
 * without its capability fields (bits 7-11: none travel here). */
static inline vesper_word fast_received_tag(vesper_word tag)
{
    return tag & ~(vesper_word)0xf80u;
}

/* The receiver's results: the message, as transfer_message() would give
 * it: the received tag, the words up to its length (at most four here)
 * and zero after, and the badge. Forced inline: it is on both halves'
 * path. */

static inline __attribute__((always_inline)) void
hand_message(struct domain *to, const struct vesper_syscall_frame *frame, uint64_t badge)
{
    vesper_word tag = frame->arg[1];
    unsigned length = vesper_tag_length(tag);
    struct hal_context *ctx = &to->context;
    hal_context_set_result(ctx, 0, VESPER_OK);
    hal_context_set_result(ctx, 1, fast_received_tag(tag));
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
        hal_context_set_result(ctx, 2 + i, i < length ? frame->arg[2 + i] : 0);
    hal_context_set_result(ctx, 6, badge);
}

/* The trace of each half: what the general path's transfer_message(),
 * blocking and sched_run() would show. Called only from a traced entry:
 * each half takes `traced` as a constant, so that the untraced entry's
 * copy has no trace point at all. */
static void trace_fast_switch(struct domain *from, struct domain *to)
{
    if (trace_on(KERNEL_TRACE_SCHED))
        trace_emit_simple(KERNEL_TRACE_SWITCH, KERNEL_TRACE_SCHED, from, to, NULL, 0);
}

static void trace_fast_call(struct domain *caller, struct domain *server, struct endpoint *ep,
                            struct reply *reply, const struct vesper_syscall_frame *frame,
                            uint64_t badge)
{
    if (trace_on(KERNEL_TRACE_IPC)) {
        trace_emit_message(caller, server, ep, fast_received_tag(frame->arg[1]),
                           &frame->arg[2], badge, IPC_CALL);
        trace_emit_simple(KERNEL_TRACE_IPC_BLOCK, KERNEL_TRACE_IPC, caller, NULL, reply,
                          DOMAIN_BLOCKED_REPLY);
    }
    trace_fast_switch(caller, server);
}

static void trace_fast_reply(struct domain *server, struct domain *client, struct endpoint *ep,
                             const struct vesper_syscall_frame *frame)
{
    if (trace_on(KERNEL_TRACE_IPC)) {
        trace_emit_message(server, client, NULL, fast_received_tag(frame->arg[1]),
                           &frame->arg[2], 0, 0);
        trace_emit_simple(KERNEL_TRACE_IPC_BLOCK, KERNEL_TRACE_IPC, server, NULL, ep,
                          DOMAIN_BLOCKED_RECV);
    }
    trace_fast_switch(server, client);
}

static inline bool fastpath_call(struct domain *caller,
                                 const struct vesper_syscall_frame *frame, bool traced)
{
    struct cap root = caller->slots[DOMAIN_SLOT_CSPACE].cap;
    struct cap cap;
    if (!find_cap(root, cspace_is_one_level(root), frame->arg[0], CAP_ENDPOINT,
                  VESPER_RIGHT_WRITE, &cap))
        return false;
    struct endpoint *ep = object_of(cap);
    if (ep->state != ENDPOINT_RECV || ep->queue.head->reply == NULL)
        return false;
    struct domain *server = ep->queue.head;
    struct reply *reply = server->reply;
    queue_remove(&ep->queue, server);
    if (ep->queue.head == NULL)
        ep->state = ENDPOINT_IDLE;
    hand_message(server, frame, cap_badge(cap));
    server->reply = NULL;
    server->blocked_on = NULL;
    server->state = DOMAIN_RUNNABLE;
    reply->receiver = NULL;
    reply->caller = caller;
    caller->reply = reply;
    caller->ipc_flags = IPC_CALL | (cap_rights(cap) & IPC_GRANT_RIGHTS);
    caller->state = DOMAIN_BLOCKED_REPLY;
    if (traced)
        trace_fast_call(caller, server, ep, reply, frame, cap_badge(cap));
    sched_run_untraced(server);
    return true;
}

static inline bool fastpath_reply_receive(struct domain *server,
                                          const struct vesper_syscall_frame *frame, bool traced)
{
    struct cap root = server->slots[DOMAIN_SLOT_CSPACE].cap;
    bool one_level = cspace_is_one_level(root);
    struct cap ep_cap, reply_cap;
    if (!find_cap(root, one_level, frame->arg[0], CAP_ENDPOINT, VESPER_RIGHT_READ, &ep_cap) ||
        !find_cap(root, one_level, frame->arg[6], CAP_REPLY, 0, &reply_cap))
        return false;
    struct endpoint *ep = object_of(ep_cap);
    struct reply *reply = object_of(reply_cap);
    struct domain *client = reply->caller;
    if (client == NULL || (client->ipc_flags & IPC_FAULT) || ep->state == ENDPOINT_SEND ||
        reply->receiver != NULL || (server->bound != NULL && server->bound->word != 0))
        return false;
    hand_message(client, frame, 0);
    reply->caller = NULL;
    client->reply = NULL;
    client->ipc_flags = 0;
    client->state = DOMAIN_RUNNABLE;
    server->state = DOMAIN_BLOCKED_RECV;
    server->blocked_on = ep;
    server->reply = reply;
    reply->receiver = server;
    queue_append(&ep->queue, server);
    ep->state = ENDPOINT_RECV;
    if (traced)
        trace_fast_reply(server, client, ep, frame);
    sched_run_untraced(client);
    return true;
}

/* Handle the syscall if it qualifies (the partner is then current); false,
 * with nothing changed, if it does not. Inline: it is the first test on
 * every syscall's path. */
static inline bool fastpath_try(struct domain *caller, const struct vesper_syscall_frame *frame,
                                bool traced)
{
    vesper_word tag = frame->arg[1];
    if (vesper_tag_length(tag) > VESPER_MSG_REGISTERS || vesper_tag_caps(tag) != 0)
        return false;
    if (frame->number == VESPER_SYS_CALL)
        return fastpath_call(caller, frame, traced);
    if (frame->number == VESPER_SYS_REPLY_RECV)
        return fastpath_reply_receive(caller, frame, traced);
    return false;
}

#endif
