/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * What the benchmarks that drive the kernel as the root domain share: the
 * syscall frame of an invocation made with libos/invocations.h, its words
 * past the fourth put in the root's IPC buffer.
 */
#ifndef VESPER_BENCH_ROOT_INVOCATION_H
#define VESPER_BENCH_ROOT_INVOCATION_H

#include <vesper/message.h>
#include <vesper/syscall.h>

#include <libos/invocations.h>

#include "domain.h"
#include "state.h"

static inline struct vesper_syscall_frame root_invocation_frame(vesper_word cptr,
                                                                struct vesper_invocation_msg msg)
{
    struct vesper_syscall_frame frame = {.number = VESPER_SYS_CALL};
    struct vesper_ipc_buffer *buffer = domain_ipc_buffer(kernel.root);
    frame.arg[0] = cptr;
    frame.arg[1] = vesper_tag(msg.label, msg.length, 0);
    for (unsigned i = 0; i < msg.length; i++) {
        if (i < VESPER_MSG_REGISTERS)
            frame.arg[2 + i] = msg.word[i];
        else
            buffer->msg[i] = msg.word[i];
    }
    return frame;
}

#endif
