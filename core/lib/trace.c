/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* The trace's switch and sink (trace.h). */
#include "trace.h"
#include "domain.h"
#include "hal.h"
#include "state.h"

_Static_assert((int)KERNEL_TRACE_WAIT_SEND == (int)DOMAIN_BLOCKED_SEND &&
                   (int)KERNEL_TRACE_WAIT_RECEIVE == (int)DOMAIN_BLOCKED_RECV &&
                   (int)KERNEL_TRACE_WAIT_REPLY == (int)DOMAIN_BLOCKED_REPLY &&
                   (int)KERNEL_TRACE_WAIT_NOTIFICATION == (int)DOMAIN_BLOCKED_NTFN,
               "the trace numbers waits as domain states do");
_Static_assert(KERNEL_TRACE_MESSAGE_CALL == IPC_CALL && KERNEL_TRACE_MESSAGE_FAULT == IPC_FAULT,
               "the trace's message flags are the kernel's");

unsigned trace_categories;
static kernel_trace_sink *trace_sink;
const char *trace_refusal_site;

void kernel_trace_set(unsigned categories, kernel_trace_sink *sink)
{
    trace_sink = sink;
    trace_categories = sink != NULL ? categories & KERNEL_TRACE_ALL : 0;
}

struct kernel_trace_event trace_event(unsigned kind, unsigned category)
{
    struct kernel_trace_event e = {.kind = kind, .category = category};
    e.time_ns = hal_clock_now_ns();
    e.invoked = KERNEL_TRACE_NO_OBJECT;
    return e;
}

void trace_emit(const struct kernel_trace_event *event)
{
    if (trace_sink != NULL)
        trace_sink(event);
}

uintptr_t trace_address(const void *object)
{
    return object != NULL ? hal_user_address(object) : 0;
}

void trace_emit_message(const void *sender, const void *receiver, const void *through,
                        uint64_t tag, const uint64_t words[4], uint64_t badge, uint32_t flags)
{
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_IPC_MESSAGE, KERNEL_TRACE_IPC);
    e.domain = trace_address(sender);
    e.other = trace_address(receiver);
    e.object = trace_address(through);
    e.in[0] = tag;
    for (unsigned i = 0; i < 4; i++)
        e.in[1 + i] = words != NULL ? words[i] : 0;
    e.in[5] = badge;
    e.in[6] = flags;
    trace_emit(&e);
}

void trace_emit_simple(unsigned kind, unsigned category, const void *domain,
                       const void *other, const void *object, uint64_t number)
{
    struct kernel_trace_event e = trace_event(kind, category);
    e.domain = trace_address(domain);
    e.other = trace_address(other);
    e.object = trace_address(object);
    e.number = number;
    trace_emit(&e);
}

void trace_emit_signal(const void *notification, uint64_t badge, const void *woken,
                       uint64_t word)
{
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_IPC_SIGNAL, KERNEL_TRACE_IPC);
    e.object = trace_address(notification);
    e.other = trace_address(woken);
    e.in[0] = badge;
    e.in[1] = word;
    trace_emit(&e);
}

void trace_emit_retype(uintptr_t untyped, unsigned type, unsigned bits, unsigned count,
                       uintptr_t first)
{
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_RETYPE, KERNEL_TRACE_CAP);
    e.domain = trace_address(kernel.current);
    e.other = untyped;
    e.object = first;
    e.number = type;
    e.in[0] = count;
    e.in[1] = bits;
    trace_emit(&e);
}

void trace_emit_fault(const void *domain, uint32_t kind, const uint64_t words[4],
                      const void *handler, const void *taken_by)
{
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_FAULT_TAKEN, KERNEL_TRACE_FAULT);
    e.domain = trace_address(domain);
    e.number = kind;
    for (unsigned i = 0; i < 4; i++)
        e.in[i] = words[i];
    e.object = trace_address(handler);
    e.other = trace_address(taken_by);
    trace_emit(&e);
}

void trace_emit_destroy(unsigned type, uintptr_t address)
{
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_DESTROY, KERNEL_TRACE_CAP);
    e.domain = trace_address(kernel.current);
    e.object = address;
    e.number = type;
    trace_emit(&e);
}

void trace_emit_transfer(const void *sender, const void *receiver, uint64_t word0,
                         uint64_t word1, const void *slot)
{
    struct cap cap = {word0, word1};
    struct kernel_trace_event e = trace_event(KERNEL_TRACE_IPC_TRANSFER, KERNEL_TRACE_IPC);
    e.domain = trace_address(sender);
    e.other = trace_address(receiver);
    e.number = cap_type(cap);
    e.object = cap_address(cap);
    e.in[0] = cap_rights(cap);
    bool badged = cap_type(cap) == CAP_ENDPOINT || cap_type(cap) == CAP_NOTIFICATION;
    e.in[1] = badged ? cap_badge(cap) : 0;
    e.in[2] = trace_address(slot);
    trace_emit(&e);
}
