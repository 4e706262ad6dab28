/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The IPC fast path (see fastpath.h). Every check comes first and any
 * doubt sends the syscall down the general path; then the hand-off is a
 * handful of stores. tests/unit/test_fastpath.c runs the same exchanges
 * with the fast path on and off and compares the results.
 */
#include <vesper/message.h>

#include "cspace.h"
#include "fastpath.h"
#include "ipc.h"
#include "objects.h"
#include "sched.h"
#include "state.h"

/* The capability at cptr if it has the type and right wanted. A CSpace of
 * one full-width level (the usual case) is looked up inline. */
static inline bool find_cap(struct domain *d, vesper_word cptr, enum cap_type type,
                            unsigned right, struct cap *cap)
{
    struct cap root = d->slots[DOMAIN_SLOT_CSPACE].cap;
    struct cte *slot = cspace_lookup_one_level(root, cptr);
    if (slot == NULL) {
        struct lookup found = cspace_lookup_invocation(root, cptr);
        if (found.error != VESPER_OK)
            return false;
        slot = found.slot;
    }
    *cap = slot->cap;
    return cap_type(*cap) == type && (right == 0 || (cap_rights(*cap) & right));
}

/* The receiver's results: the message, as transfer_message would give it. */
static inline void hand_message(struct domain *to, const struct vesper_syscall_frame *frame,
                         uint64_t badge)
{
    vesper_word tag = frame->arg[1];
    unsigned length = vesper_tag_length(tag);
    uint64_t words[VESPER_MSG_REGISTERS];
    for (unsigned i = 0; i < VESPER_MSG_REGISTERS; i++)
        words[i] = i < length ? frame->arg[2 + i] : 0;
    ipc_set_results(to, VESPER_OK, vesper_tag(vesper_tag_label(tag), length, 0), words, badge);
}

bool fastpath_call(struct domain *caller, const struct vesper_syscall_frame *frame)
{
    struct cap cap;
    if (!find_cap(caller, frame->arg[0], CAP_ENDPOINT, VESPER_RIGHT_WRITE, &cap))
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
    sched_run(server);
    return true;
}

bool fastpath_reply_receive(struct domain *server, const struct vesper_syscall_frame *frame)
{
    struct cap ep_cap, reply_cap;
    if (!find_cap(server, frame->arg[0], CAP_ENDPOINT, VESPER_RIGHT_READ, &ep_cap) ||
        !find_cap(server, frame->arg[6], CAP_REPLY, 0, &reply_cap))
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
    sched_run(client);
    return true;
}
