/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The syscall entry: the fast path first (fastpath.h), then one dispatch
 * switch over the syscall number, which is the only way to each syscall's
 * handler: the IPC syscalls in ipc_syscalls.c, Call on a capability that is
 * not an Endpoint in invoke.c (and from there the decoder of its type),
 * the rest here. Each handler validates every argument before it changes
 * anything and answers bad input with an error code; nothing a domain
 * passes can crash the kernel. How a handler ends is the result protocol
 * in invoke.h; who runs next is sched_choose()'s decision. A number that
 * names no syscall is a fault, delivered to the domain's fault handler
 * (fault.c).
 */
#include <vesper/error.h>
#include <vesper/syscall.h>

#include "console.h"
#include "activation.h"
#include "fastpath.h"
#include "invoke.h"
#include "ipc.h"
#include "irq.h"
#include "kernel.h"
#include "sched.h"
#include "state.h"
#include "trace.h"

/* Write a byte string from the caller's memory to the console: memory the
 * caller may read (domain_user_view(); docs/syscalls.md). */
static struct syscall_result sys_debug_print(struct domain *caller,
                                             const struct vesper_syscall_frame *frame)
{
    vesper_word address = frame->arg[0];
    vesper_word length = frame->arg[1];
    if (length > VESPER_DEBUG_PRINT_MAX)
        return result_range(0, VESPER_DEBUG_PRINT_MAX);
    if (address > UINTPTR_MAX)
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    const char *text =
        domain_user_view(caller, (uintptr_t)address, (size_t)length, VESPER_RIGHT_READ);
    if (text == NULL)
        return result_error(VESPER_ERR_INVALID_ADDRESS);
    hal_console_write(text, (size_t)length);
    struct syscall_result r = result_ok();
    r.value[1] = length;
    return r;
}

/* Stop the caller with a status in 0..255; the root's exit shuts the
 * kernel down. The range matches what every platform can report. */
static struct syscall_result sys_exit(struct domain *caller,
                                      const struct vesper_syscall_frame *frame)
{
    vesper_word status = frame->arg[0];
    if (status > 255)
        return result_range(0, 255);
    domain_stop(caller, (int)status);
    if (caller == kernel.root)
        kernel_shutdown((int)status);
    return result_done();
}

/* Call: on an Endpoint an IPC Call (ipc_syscalls.c), on any other
 * capability an invocation of its object (invoke.c). */
static struct syscall_result sys_call(struct domain *caller,
                                      const struct vesper_syscall_frame *frame)
{
    struct cap cspace = caller->slots[DOMAIN_SLOT_CSPACE].cap;
    struct lookup found = cspace_lookup_invocation(cspace, frame->arg[0]);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 0);
    if (cap_type(found.slot->cap) == CAP_ENDPOINT)
        return sys_call_endpoint(caller, found.slot->cap);
    return invoke_capability(caller, found.slot, frame);
}

/* Yield answers the clock, so that a domain with nothing to do but wait
 * for a time can yield until it comes without a timer of its own. */
static struct syscall_result sys_yield(struct domain *caller)
{
    ipc_set_error(caller, VESPER_OK);
    hal_context_set_result(&caller->context, 1, hal_clock_now_ns());
    struct syscall_result r = result_done();
    r.yield = true;
    return r;
}

static struct syscall_result syscall_dispatch(struct domain *caller,
                                              const struct vesper_syscall_frame *frame)
{
    switch (frame->number) {
    case VESPER_SYS_CALL: return sys_call(caller, frame);
    case VESPER_SYS_REPLY_RECV: return sys_reply_receive(caller, frame);
    case VESPER_SYS_SEND: return sys_send(caller, frame, true);
    case VESPER_SYS_NB_SEND: return sys_send(caller, frame, false);
    case VESPER_SYS_RECV: return sys_receive(caller, frame, true);
    case VESPER_SYS_NB_RECV: return sys_receive(caller, frame, false);
    case VESPER_SYS_REPLY: return sys_reply(caller, frame);
    case VESPER_SYS_YIELD: return sys_yield(caller);
    case VESPER_SYS_RESUME: return sys_resume(caller, frame);
    case VESPER_SYS_DEBUG_PRINT: return sys_debug_print(caller, frame);
    case VESPER_SYS_DEBUG_IDENTIFY: return sys_debug_identify(caller, frame);
    case VESPER_SYS_EXIT: return sys_exit(caller, frame);
    default:
        fault_raise(caller, VESPER_FAULT_UNKNOWN_SYSCALL, frame->number,
                    hal_context_pc(&caller->context), 0, 0);
        return result_done();
    }
}

/* The context to resume: the current domain's, or the next runnable one.
 * When none can run the kernel idles while an interrupt may still wake a
 * driver (a line is armed: irq.h), and stops when none can. */
static struct hal_context *choose_next(enum sched_cause cause)
{
    if (!kernel.running)
        return NULL;
    struct domain *next = sched_choose(cause);
    if (next != NULL)
        return &next->context;
    if (irq_any_armed()) {
        sched_idle();
        if (cause == SCHED_AFTER_TIMER)
            hal_timer_set_deadline(HAL_DEADLINE_NONE); /* nothing left to end */
        return NULL;
    }
    kernel_stop_no_domain();
    return NULL;
}

static void write_results(struct domain *d, const struct syscall_result *r)
{
    hal_context_set_result(&d->context, 0, (uint64_t)r->error);
    for (unsigned i = 1; i < VESPER_SYSCALL_ARGS; i++)
        hal_context_set_result(&d->context, i, r->value[i]);
}

/* ---- The trace's syscall event (kernel_trace.h) ---- */

/* What a syscall about to be handled is: its words and, for a Call on an
 * object, the object and its message, read before the handler may change
 * them. */
static void trace_syscall_begin(struct domain *caller, const struct vesper_syscall_frame *words,
                                struct kernel_trace_event *e)
{
    *e = trace_event(KERNEL_TRACE_SYSCALL_END, KERNEL_TRACE_SYSCALL);
    e->domain = trace_address(caller);
    e->number = words->number;
    for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
        e->in[i] = words->arg[i];
    trace_refusal_site = NULL;
    if (words->number != VESPER_SYS_CALL)
        return;
    struct lookup found =
        cspace_lookup_invocation(caller->slots[DOMAIN_SLOT_CSPACE].cap, words->arg[0]);
    if (found.error != VESPER_OK || cap_is_null(found.slot->cap) ||
        cap_type(found.slot->cap) == CAP_ENDPOINT)
        return;
    e->invoked = cap_type(found.slot->cap);
    e->object = cap_address(found.slot->cap);
    const struct vesper_ipc_buffer *buffer = domain_ipc_buffer(caller);
    unsigned length = vesper_tag_length(words->arg[1]);
    for (unsigned i = 0; i < length && i < KERNEL_TRACE_MSG_WORDS; i++) {
        if (i >= VESPER_MSG_REGISTERS && buffer == NULL)
            break;
        e->msg[i] = i < VESPER_MSG_REGISTERS ? words->arg[2 + i] : buffer->msg[i];
        e->msg_length = i + 1;
    }
}

/* How it ended, and the event out. */
static void trace_syscall_end(struct domain *caller, struct kernel_trace_event *e,
                              bool fast, bool restart)
{
    if (fast)
        e->outcome = KERNEL_TRACE_FASTPATH;
    else if (caller->state == DOMAIN_STOPPED)
        e->outcome = KERNEL_TRACE_STOPPED;
    else if (caller->state != DOMAIN_RUNNABLE)
        e->outcome = KERNEL_TRACE_BLOCKED;
    else if (restart)
        e->outcome = KERNEL_TRACE_RESTART;
    else
        e->outcome = KERNEL_TRACE_RETURNED;
    if (e->outcome == KERNEL_TRACE_RETURNED) {
        struct vesper_syscall_frame scratch;
        const struct vesper_syscall_frame *results =
            hal_context_syscall_view(&caller->context, &scratch);
        for (unsigned i = 0; i < VESPER_SYSCALL_ARGS; i++)
            e->out[i] = results->arg[i];
        if (e->out[0] != VESPER_OK)
            e->site = trace_refusal_site;
    }
    trace_emit(e);
}

/* The syscall in the caller's context, by the fast path or the general
 * one: true when the fast path took it (the partner is then current);
 * otherwise *r is how the handler ended. Inlined into both entries below,
 * so that the untraced one keeps the fast path's registers to itself. */
static inline __attribute__((always_inline)) bool
handle_syscall(struct domain *caller, const struct vesper_syscall_frame *words,
               struct syscall_result *r, bool traced)
{
    if (!kernel.fastpath_disabled && fastpath_try(caller, words, traced))
        return true;
    struct vesper_syscall_frame frame = *words; /* results are written while it reads */
    *r = syscall_dispatch(caller, &frame);
    if (r->restart && caller->state == DOMAIN_RUNNABLE)
        hal_context_restart_syscall(&caller->context);
    else if (!r->done && caller->state == DOMAIN_RUNNABLE)
        write_results(caller, r);
    return false;
}

static struct hal_context *next_after(const struct syscall_result *r)
{
    return choose_next(r->yield ? SCHED_AFTER_YIELD : SCHED_AFTER_SYSCALL);
}

/* The entry while the trace takes syscalls: the same, with the event. */
static __attribute__((noinline, cold)) struct hal_context *traced_entry(struct domain *caller)
{
    struct vesper_syscall_frame scratch;
    const struct vesper_syscall_frame *words = hal_context_syscall_view(&caller->context, &scratch);
    struct kernel_trace_event event;
    bool syscalls = trace_on(KERNEL_TRACE_SYSCALL);
    if (syscalls)
        trace_syscall_begin(caller, words, &event);
    struct syscall_result r;
    bool fast = handle_syscall(caller, words, &r, true);
    if (syscalls)
        trace_syscall_end(caller, &event, fast, !fast && r.restart);
    return fast ? &kernel.current->context : next_after(&r);
}

struct hal_context *kernel_entry_syscall(void)
{
    if (!kernel.running || kernel.current == NULL)
        return NULL;
    struct domain *caller = kernel.current;
    if (trace_categories != 0) /* any category: the fast path's events too */
        return traced_entry(caller);
    struct vesper_syscall_frame scratch;
    const struct vesper_syscall_frame *words = hal_context_syscall_view(&caller->context, &scratch);
    struct syscall_result r;
    if (handle_syscall(caller, words, &r, false))
        return &kernel.current->context; /* the partner fastpath_try() ran */
    return next_after(&r);
}

struct hal_context *kernel_entry_timer(void)
{
    if (!kernel.running)
        return NULL; /* an idle kernel may take it: nothing was running */
    trace_sched(KERNEL_TRACE_TIMER, kernel.current, 0);
    return choose_next(SCHED_AFTER_TIMER);
}

struct hal_context *kernel_entry_irq(unsigned line)
{
    if (!kernel.running)
        return NULL;
    irq_raise(line);
    return choose_next(SCHED_AFTER_SYSCALL); /* the interrupted domain runs on */
}

struct hal_context *kernel_entry_no_wakeup(void)
{
    if (kernel.running && kernel.current == NULL)
        kernel_stop_no_domain();
    return kernel_current_context();
}

struct hal_context *kernel_entry_exception(uint32_t kind, uint64_t cause, uint64_t address,
                                           unsigned access)
{
    if (!kernel.running || kernel.current == NULL)
        return NULL;
    struct domain *d = kernel.current;
    fault_raise(d, kind, cause, hal_context_pc(&d->context), address,
                kind == VESPER_FAULT_PAGE ? access : 0);
    return choose_next(SCHED_AFTER_SYSCALL);
}
