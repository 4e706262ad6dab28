/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The IPC syscalls: decode and check the capabilities a syscall names,
 * then hand over to ipc.c. Errors found here end the syscall at once with
 * nothing changed; an Endpoint needs the write right to send and the read
 * right to receive, a Notification the same to Signal and to Wait or Poll.
 */
#include "invoke.h"
#include "ipc.h"
#include "sched.h"
#include "objects.h"
#include "state.h"

/* The capability a syscall's word 0 names, which must have `right`. The
 * callers read *cap only after VESPER_OK but start from a null capability:
 * gcc cannot see into invoke.c that the lookup's error path never returns
 * VESPER_OK and at -O3 would warn that *cap may be read unset. */
static struct syscall_result find_ipc_cap(struct domain *caller, vesper_word cptr,
                                          unsigned right, struct cap *cap)
{
    struct lookup found = cspace_lookup_invocation(caller->slots[DOMAIN_SLOT_CSPACE].cap, cptr);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 0);
    *cap = found.slot->cap;
    enum cap_type type = cap_type(*cap);
    if ((type != CAP_ENDPOINT && type != CAP_NOTIFICATION) || !(cap_rights(*cap) & right))
        return result_invalid_capability(0);
    return result_ok();
}

/* The Reply object word 6 names: NULL for an empty slot. */
static struct syscall_result find_reply(struct domain *caller, vesper_word cptr,
                                        struct reply **reply)
{
    struct lookup found = cspace_lookup_invocation(caller->slots[DOMAIN_SLOT_CSPACE].cap, cptr);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap cap = found.slot->cap;
    *reply = NULL;
    if (cap_is_null(cap))
        return result_ok();
    if (cap_type(cap) != CAP_REPLY)
        return result_invalid_capability(1);
    *reply = object_of(cap);
    return result_ok();
}

static uint32_t send_flags(struct cap cap, bool call)
{
    return (call ? IPC_CALL : 0) | (cap_rights(cap) & IPC_GRANT_RIGHTS);
}

struct syscall_result sys_call_endpoint(struct domain *caller, struct cap cap)
{
    if (!(cap_rights(cap) & VESPER_RIGHT_WRITE))
        return result_invalid_capability(0);
    endpoint_send(caller, object_of(cap), cap_badge(cap), send_flags(cap, true), true);
    return result_done();
}

struct syscall_result sys_send(struct domain *caller, const struct vesper_syscall_frame *frame,
                               bool blocking)
{
    struct cap cap = cap_null();
    struct syscall_result r = find_ipc_cap(caller, frame->arg[0], VESPER_RIGHT_WRITE, &cap);
    if (r.error != VESPER_OK)
        return r;
    if (cap_type(cap) == CAP_NOTIFICATION) {
        notification_signal(object_of(cap), cap_badge(cap));
        return result_ok();
    }
    endpoint_send(caller, object_of(cap), cap_badge(cap), send_flags(cap, false), blocking);
    return result_done();
}

/* A Reply object can wait for one Call at a time. */
static bool reply_available(const struct reply *reply)
{
    return reply == NULL || (reply->caller == NULL && reply->receiver == NULL);
}

struct syscall_result sys_receive(struct domain *caller, const struct vesper_syscall_frame *frame,
                                  bool blocking)
{
    struct cap cap = cap_null();
    struct syscall_result r = find_ipc_cap(caller, frame->arg[0], VESPER_RIGHT_READ, &cap);
    if (r.error != VESPER_OK)
        return r;
    if (cap_type(cap) == CAP_NOTIFICATION) {
        notification_wait(caller, object_of(cap), blocking);
        return result_done();
    }
    struct reply *reply;
    r = find_reply(caller, frame->arg[6], &reply);
    if (r.error != VESPER_OK)
        return r;
    if (!reply_available(reply))
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    endpoint_receive(caller, object_of(cap), reply, blocking);
    return result_done();
}

/* Reply's word 0 is the capability it uses, so its errors name
 * capability 0, as every syscall's do for word 0 (find_reply names word 6,
 * the second capability of a receive). */
struct syscall_result sys_reply(struct domain *caller, const struct vesper_syscall_frame *frame)
{
    struct lookup found = cspace_lookup_invocation(caller->slots[DOMAIN_SLOT_CSPACE].cap,
                                                   frame->arg[0]);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 0);
    if (cap_type(found.slot->cap) != CAP_REPLY)
        return result_invalid_capability(0);
    return result_error(reply_send(caller, object_of(found.slot->cap)));
}

/* Reply (if a Call is bound to the Reply object; a server's first
 * ReplyRecv has none), then receive with the same Reply object. Every check
 * comes before the reply, so an error changes nothing. */
struct syscall_result sys_reply_receive(struct domain *caller,
                                        const struct vesper_syscall_frame *frame)
{
    struct cap cap = cap_null();
    struct syscall_result r = find_ipc_cap(caller, frame->arg[0], VESPER_RIGHT_READ, &cap);
    if (r.error != VESPER_OK)
        return r;
    if (cap_type(cap) != CAP_ENDPOINT)
        return result_invalid_capability(0);
    struct reply *reply;
    r = find_reply(caller, frame->arg[6], &reply);
    if (r.error != VESPER_OK)
        return r;
    if (reply == NULL)
        return result_invalid_capability(1);
    if (reply->receiver != NULL)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    struct domain *answered = reply->caller;
    if (answered != NULL)
        reply_send(caller, reply);
    endpoint_receive(caller, object_of(cap), reply, true);
    if (caller->state != DOMAIN_RUNNABLE && answered != NULL &&
        answered->state == DOMAIN_RUNNABLE)
        sched_hand_off(answered);
    return result_done();
}
