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

#include "domain.h"

/* The two halves, each on its own so that neither pays for the other's
 * registers; fastpath_try() picks one. Each hands the CPU to its partner
 * (the server a Call reached, the client a ReplyRecv answered) through
 * sched_run() and returns true; false, with nothing changed, when the
 * syscall does not qualify. The hand-off is decided here rather than in
 * sched_choose(): the fast path exists to skip the general decision, and
 * its checks already establish what sched_choose() would conclude (the
 * partner waits, the caller blocks). */
bool fastpath_call(struct domain *caller, const struct vesper_syscall_frame *frame);
bool fastpath_reply_receive(struct domain *server, const struct vesper_syscall_frame *frame);

/* Handle the syscall if it qualifies (the partner is then current); false,
 * with nothing changed, if it does not. Inline: it is the first test on
 * every syscall's path. */
static inline bool fastpath_try(struct domain *caller, const struct vesper_syscall_frame *frame)
{
    vesper_word tag = frame->arg[1];
    if (vesper_tag_length(tag) > VESPER_MSG_REGISTERS || vesper_tag_caps(tag) != 0)
        return false;
    if (frame->number == VESPER_SYS_CALL)
        return fastpath_call(caller, frame);
    if (frame->number == VESPER_SYS_REPLY_RECV)
        return fastpath_reply_receive(caller, frame);
    return false;
}

#endif
