/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Object invocations: a Call on a capability. The syscall layer finds the
 * capability and the message; each object type's decode function checks
 * every argument and the state (changing nothing), then makes the change,
 * which cannot fail: in some operations through an invoke function of its
 * file (Retype, Copy, Rotate, Configure), in others directly (Move calls
 * cdt_move(), Delete cap_delete()). Some operations only reply.
 */
#ifndef VESPER_CORE_INVOKE_H
#define VESPER_CORE_INVOKE_H

#include <stdbool.h>

#include <vesper/error.h>
#include <vesper/message.h>
#include <vesper/syscall.h>

#include "cap.h"
#include "cspace.h"
#include "domain.h"

/* What a syscall answers: result word 0 is the error, words 1-5 the
 * values. For an invocation that succeeds, word 1 is the reply's tag and
 * words 2-5 its first message words. */
struct syscall_result {
    enum vesper_error error;
    vesper_word value[VESPER_SYSCALL_ARGS];
    bool done;  /* the handler already ended the caller's syscall (or blocked it) */
    bool yield; /* the caller gives up the CPU */
};

struct invocation {
    struct domain *caller;
    struct cte *slot;     /* the invoked capability's slot */
    vesper_word label;
    unsigned length;      /* message words available to read */
    const struct vesper_syscall_frame *frame;
    const struct vesper_ipc_buffer *buffer; /* NULL: registers only */
};

/* Message word i of the invocation (i < inv->length). */
vesper_word invocation_arg(const struct invocation *inv, unsigned i);

/* Results. */
struct syscall_result result_error(enum vesper_error error);
/* The handler has written the caller's results itself, or blocked it. */
struct syscall_result result_done(void);
struct syscall_result result_ok(void);
/* A reply of `count` words (at most VESPER_MSG_REGISTERS). */
struct syscall_result result_reply(unsigned count, const vesper_word *words);
/* VESPER_ERR_INVALID_ARGUMENT: word 1 names the bad message word. */
struct syscall_result result_invalid_argument(unsigned index);
/* VESPER_ERR_INVALID_CAPABILITY: word 1 names the capability (0 the invoked
 * one, then the capability arguments in order). */
struct syscall_result result_invalid_capability(unsigned which);
/* VESPER_ERR_RANGE: words 1 and 2 are the smallest and largest allowed. */
struct syscall_result result_range(vesper_word min, vesper_word max);
/* The lookup's error. For VESPER_ERR_FAILED_LOOKUP words 1-3 are the
 * failure, the bits left and which capability argument failed; for
 * VESPER_ERR_RANGE (a depth out of range) words 1 and 2 are 1 and 64. */
struct syscall_result result_lookup(const struct lookup *lookup, unsigned which);

/* The Call syscall on a capability: look it up in the caller's CSpace and
 * dispatch on its type; on an Endpoint, an IPC Call. */
struct syscall_result sys_call(struct domain *caller, const struct vesper_syscall_frame *frame);

/* VESPER_SYS_DEBUG_IDENTIFY: what the capability at word 0 is. */
struct syscall_result sys_debug_identify(struct domain *caller,
                                        const struct vesper_syscall_frame *frame);

/* The IPC syscalls (ipc_syscalls.c). */
struct syscall_result sys_call_endpoint(struct domain *caller, struct cap endpoint);
struct syscall_result sys_send(struct domain *caller, const struct vesper_syscall_frame *frame,
                               bool blocking);
struct syscall_result sys_receive(struct domain *caller, const struct vesper_syscall_frame *frame,
                                  bool blocking);
struct syscall_result sys_reply(struct domain *caller, const struct vesper_syscall_frame *frame);
struct syscall_result sys_reply_receive(struct domain *caller,
                                        const struct vesper_syscall_frame *frame);

/* Find the slot a capability argument names: cptr resolved in the caller's
 * CSpace for an invocation (stops at the first non-CNode slot). */
struct lookup lookup_argument(const struct invocation *inv, vesper_word cptr);

/* Find a slot relative to a CNode named by root_cptr in the caller's CSpace,
 * at exactly depth bits. `which` numbers the argument for error details. */
struct syscall_result lookup_relative_slot(const struct invocation *inv, vesper_word root_cptr,
                                           vesper_word index, vesper_word depth,
                                           unsigned which, struct cte **slot);

/* Per-type decoders (untyped.c, cnode.c, domain.c, irq.c, frame.c). */
struct syscall_result decode_untyped_invocation(const struct invocation *inv);
struct syscall_result decode_cnode_invocation(const struct invocation *inv);
struct syscall_result decode_domain_invocation(const struct invocation *inv);
struct syscall_result decode_irq_control_invocation(const struct invocation *inv);
struct syscall_result decode_irq_handler_invocation(const struct invocation *inv);
struct syscall_result decode_frame_invocation(const struct invocation *inv);

#endif
