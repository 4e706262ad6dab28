/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Object invocations: a Call on a capability other than an Endpoint, and the
 * result protocol every syscall handler follows (below). The syscall layer
 * finds the capability (syscall.c: sys_call); each object type's decode
 * function checks every argument and the state (changing nothing), then
 * makes the change, which cannot fail: in some operations through an invoke
 * function of its file (Retype, Copy, Rotate, Configure), in others
 * directly (Move calls cdt_move(), Delete cap_delete()). Some operations
 * only reply.
 */
#ifndef VESPER_CORE_INVOKE_H
#define VESPER_CORE_INVOKE_H

#include <stdbool.h>

#include <vesper/error.h>
#include <vesper/invocation_words.h> /* where each operation's words are */
#include <vesper/message.h>
#include <vesper/syscall.h>

#include "cap.h"
#include "cspace.h"
#include "domain.h"
#include "trace.h"

/*
 * How a syscall handler ends: the result protocol.
 *
 * Every handler (syscall.c's switch, ipc_syscalls.c, the per-type decoders
 * behind invoke_capability()) returns a struct syscall_result, in one of
 * three ways:
 *
 *  1. A value (result_ok(), result_error(), result_reply(), result_range(),
 *     result_lookup(), ...). The syscall is over and the caller still runs:
 *     kernel_entry_syscall() writes `error` to result word 0 and value[1-6]
 *     to words 1-6. An error means nothing was changed. For an invocation
 *     that succeeds, word 1 is the reply's tag and words 2-5 its first
 *     message words.
 *  2. result_done() after the handler wrote the caller's results itself
 *     (ipc_set_results(), ipc_set_error()): a receive that found its
 *     message at once, a Send that was delivered, a Yield. The entry writes
 *     nothing more.
 *  3. result_done() with the caller no longer runnable: it blocked (a Call
 *     or Recv waiting for its partner) or stopped (Exit). Whoever wakes it
 *     writes its results then (endpoint.c, reply.c, notification.c); a
 *     stopped domain gets none. The entry writes nothing: it writes values
 *     only to a runnable caller.
 *
 *  4. result_restart(): the handler stopped at a preemption point
 *     (preempt.h) with its progress recorded in the objects. The entry
 *     writes no results and has the caller make the same syscall again
 *     when it next runs (hal_context_restart_syscall()).
 *
 * `yield` says the caller gives up the CPU. Whichever way a handler ends,
 * the entry then asks sched_choose() who runs next (sched.h): a handler
 * never switches domains, it may only ask for a hand-off to a partner it
 * woke (sched_hand_off()).
 */
struct syscall_result {
    enum vesper_error error;
    vesper_word value[VESPER_SYSCALL_ARGS];
    bool done;  /* the handler already ended the caller's syscall (or blocked it) */
    bool yield; /* the caller gives up the CPU */
    bool restart; /* stopped at a preemption point: the caller makes it again */
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
struct syscall_result result_restart(void);
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

/* A traced kernel names the function that refused a syscall (the
 * function that made the error result) in the syscall's event: host
 * builds only, since the names cost the Pi image room (trace.h). */
#ifdef VESPER_TRACE_SITES
static inline void result_note_site(const char *site)
{
    if (trace_categories != 0)
        trace_refusal_site = site;
}
#define result_error(e) (result_note_site(__func__), (result_error)(e))
#define result_invalid_argument(i) (result_note_site(__func__), (result_invalid_argument)(i))
#define result_invalid_capability(w) (result_note_site(__func__), (result_invalid_capability)(w))
#define result_range(lo, hi) (result_note_site(__func__), (result_range)(lo, hi))
#define result_lookup(l, w) (result_note_site(__func__), (result_lookup)(l, w))
#endif

/* A Call on any capability but an Endpoint (whose Call is IPC): read the
 * label and message and hand them to the decoder of the capability's type
 * (object_decode_invocation()). slot is the invoked capability's, found in
 * the caller's CSpace. */
struct syscall_result invoke_capability(struct domain *caller, struct cte *slot,
                                        const struct vesper_syscall_frame *frame);

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
struct syscall_result decode_page_table_invocation(const struct invocation *inv);

#endif
