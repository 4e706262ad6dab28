/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain queues and the fallback scheduler.
 *
 * The kernel keeps one run queue of runnable domains besides the current
 * one, served round-robin unless a user-level domain scheduler is
 * installed (scheduler.h), which then decides through Dispatch. IPC
 * consults neither: a Call hands the CPU straight to the server and a
 * Reply hands it back (sched_hand_off()).
 *
 * Who runs next is decided in one place, sched_choose(), at the end of
 * every general-path entry; only this file and sched_run() write
 * kernel.current.
 */
#ifndef VESPER_CORE_SCHED_H
#define VESPER_CORE_SCHED_H

#include <stdbool.h>

#include "domain.h"
#include "objects.h"
#include "pdom.h"
#include "state.h"
#include "trace.h"

static inline void queue_append(struct domain_queue *q, struct domain *d)
{
    d->queue_next = NULL;
    d->queue_prev = q->tail;
    if (q->tail != NULL)
        q->tail->queue_next = d;
    else
        q->head = d;
    q->tail = d;
}

static inline void queue_remove(struct domain_queue *q, struct domain *d)
{
    if (d->queue_prev != NULL)
        d->queue_prev->queue_next = d->queue_next;
    else
        q->head = d->queue_next;
    if (d->queue_next != NULL)
        d->queue_next->queue_prev = d->queue_prev;
    else
        q->tail = d->queue_prev;
    d->queue_next = NULL;
    d->queue_prev = NULL;
}

static inline struct domain *queue_pop(struct domain_queue *q)
{
    struct domain *d = q->head;
    if (d != NULL)
        queue_remove(q, d);
    return d;
}

/* Make d runnable and put it at the back of the run queue (unless it is
 * the current domain). */
void sched_make_runnable(struct domain *d);

/* Take d off the run queue if it is there (it is about to block or stop). */
void sched_remove(struct domain *d);

/* Ask that d, which IPC just made runnable, run next instead of the
 * current domain: a Call's server, or the client a ReplyRecv answered. The
 * CPU changes hands only when the entry ends (sched_choose()), so the rest
 * of the entry still sees the caller as current. */
void sched_hand_off(struct domain *d);

/* Give the domain about to run a fresh time slice: the timer's deadline
 * KERNEL_QUANTUM_NS from now (kernel_entry_timer() ends it). */
void sched_new_slice(void);

/* What ended the entry sched_choose() decides after. */
enum sched_cause {
    SCHED_AFTER_SYSCALL, /* a syscall or an exception */
    SCHED_AFTER_YIELD,   /* the Yield syscall */
    SCHED_AFTER_TIMER,   /* the slice or budget ended (kernel_entry_timer) */
};

/* Who runs after an entry, in this order:
 *  1. the domain IPC handed off to, or a Dispatch chose, if it can run;
 *  2. the current one, if it can still run, did not yield, its time is
 *     not over and no wakeup asks the idle scheduler to decide;
 *  3. the domain scheduler, upcalled, if it is idle (scheduler.h);
 *  4. the next on the run queue, with a fresh slice (the fallback).
 * It makes that domain current, making any upcall it has pending, and
 * tells the scheduler why the old one left. NULL when none can run (the
 * kernel then idles while an interrupt may wake a domain, else stops).
 * This is the one decision of who runs next on the
 * general path. A hand-off, and the current domain running on, keep the
 * slice or budget they had: the time of an IPC goes to the caller's. */
struct domain *sched_choose(enum sched_cause cause);

/* Make d current and return its context: sched_choose() and the fast
 * path's hand-off (fastpath.h) both end here. Inline so that it costs the
 * fast path one store. The fast path traces its switch itself (when the
 * entry is traced: fastpath.h); every other switch is traced here. */
static inline __attribute__((always_inline)) struct hal_context *
sched_run_untraced(struct domain *d)
{
    kernel.current = d;
    if (cap_address(d->slots[DOMAIN_SLOT_PDOM].cap) != kernel.active_pdom)
        pdom_activate_for(d); /* domains sharing a PDom switch without it */
    return &d->context;
}

static inline __attribute__((always_inline)) struct hal_context *sched_run(struct domain *d)
{
    if (trace_on(KERNEL_TRACE_SCHED) && d != kernel.current)
        trace_emit_simple(KERNEL_TRACE_SWITCH, KERNEL_TRACE_SCHED, kernel.current, d, NULL, 0);
    return sched_run_untraced(d);
}

/* The kernel stopped: no domain is current and none is handed off to. */
void sched_stop(void);

/* No domain can run, but an interrupt may wake one: none is current until
 * an entry chooses one. The timer's deadline stays as it was. */
void sched_idle(void);

#endif
