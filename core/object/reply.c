/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Reply objects (see ipc.h): the one-shot answer to a Call or a fault. A
 * Reply is offered by a receiver, bound to the caller it answers, and used
 * or cancelled once.
 */
#include "ipc.h"
#include "sched.h"

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
    bool grant = caller->ipc_flags & IPC_GRANT_REPLY; /* the caller accepts capabilities */
    caller->ipc_flags = 0;
    transfer_message(replier, caller, NULL, 0, grant);
    sched_make_runnable(caller);
    return VESPER_OK;
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
