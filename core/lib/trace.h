/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's trace points (core/interface/kernel_trace.h says what each
 * event holds). A trace point asks trace_on() first, so that an untraced
 * kernel builds no event: one load and one branch.
 */
#ifndef VESPER_CORE_TRACE_H
#define VESPER_CORE_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cap.h"
#include "kernel_trace.h"

/* Which categories go to the sink (0: the trace is off). Hidden, so that
 * each trace point reads it in one instruction. */
extern unsigned trace_categories __attribute__((visibility("hidden")));

static inline bool trace_on(unsigned category)
{
    return __builtin_expect((trace_categories & category) != 0, 0);
}

/* An event of `kind` in `category`, time stamped, everything else zero. */
struct kernel_trace_event trace_event(unsigned kind, unsigned category);

/* Hand the event to the sink. */
void trace_emit(const struct kernel_trace_event *event);

/* The user address of an object, or 0 for NULL. */
uintptr_t trace_address(const void *object);

/* The events of kernel_trace.h, one function each; each costs only
 * trace_on() while its category is off. Objects are kernel pointers
 * (NULL for none); the event names them by user address. */
void trace_emit_message(const void *sender, const void *receiver, const void *through,
                        uint64_t tag, const uint64_t words[4], uint64_t badge, uint32_t flags);
void trace_emit_simple(unsigned kind, unsigned category, const void *domain,
                       const void *other, const void *object, uint64_t number);
void trace_emit_signal(const void *notification, uint64_t badge, const void *woken,
                       uint64_t word);
/* untyped and first: addresses as capabilities hold them. */
void trace_emit_retype(uintptr_t untyped, unsigned type, unsigned bits, unsigned count,
                       uintptr_t first);
void trace_emit_destroy(unsigned type, uintptr_t address);
void trace_emit_transfer(const void *sender, const void *receiver, uint64_t word0,
                         uint64_t word1, const void *slot);
void trace_emit_fault(const void *domain, uint32_t kind, const uint64_t words[4],
                      const void *handler, const void *taken_by);

static inline void trace_message(const void *sender, const void *receiver, const void *through,
                                 uint64_t tag, const uint64_t words[4], uint64_t badge,
                                 uint32_t flags)
{
    if (trace_on(KERNEL_TRACE_IPC))
        trace_emit_message(sender, receiver, through, tag, words, badge, flags);
}

/* cap: the capability as the sender holds it; slot: where it was copied,
 * or NULL when it was unwrapped to its badge. */
static inline void trace_transfer(const void *sender, const void *receiver, struct cap cap,
                                  const void *slot)
{
    if (trace_on(KERNEL_TRACE_IPC))
        trace_emit_transfer(sender, receiver, cap.word0, cap.word1, slot);
}

static inline void trace_block(const void *domain, unsigned state, const void *object)
{
    if (trace_on(KERNEL_TRACE_IPC))
        trace_emit_simple(KERNEL_TRACE_IPC_BLOCK, KERNEL_TRACE_IPC, domain, NULL, object, state);
}

static inline void trace_signal(const void *notification, uint64_t badge, const void *woken,
                                uint64_t word)
{
    if (trace_on(KERNEL_TRACE_IPC))
        trace_emit_signal(notification, badge, woken, word);
}

static inline void trace_sched(unsigned kind, const void *domain, uint64_t number)
{
    if (trace_on(KERNEL_TRACE_SCHED))
        trace_emit_simple(kind, KERNEL_TRACE_SCHED, domain, NULL, NULL, number);
}

static inline void trace_retype(uintptr_t untyped, unsigned type, unsigned bits,
                                unsigned count, uintptr_t first)
{
    if (trace_on(KERNEL_TRACE_CAP))
        trace_emit_retype(untyped, type, bits, count, first);
}

/* address: the object's address as its capability holds it. */
static inline void trace_destroy(unsigned type, uintptr_t address)
{
    if (trace_on(KERNEL_TRACE_CAP))
        trace_emit_destroy(type, address);
}

static inline void trace_fault(const void *domain, uint32_t kind, const uint64_t words[4],
                               const void *handler, const void *taken_by)
{
    if (trace_on(KERNEL_TRACE_FAULT))
        trace_emit_fault(domain, kind, words, handler, taken_by);
}

static inline void trace_irq(unsigned line, const void *notification)
{
    if (trace_on(KERNEL_TRACE_IRQ))
        trace_emit_simple(KERNEL_TRACE_IRQ_RAISED, KERNEL_TRACE_IRQ, NULL, NULL, notification, line);
}

/* Where the syscall being handled was refused: the result_*() functions
 * that answer an error note their caller (invoke.h), and the syscall's
 * event takes it. */
extern const char *trace_refusal_site;

#endif
