/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The user-level domain scheduler (scheduler.h): its events, its upcall,
 * and the SchedControl invocations SetScheduler and Dispatch.
 *
 * Why the kernel keeps a fallback: a scheduler is user code and may be
 * wrong, slow or gone. Whenever it is not idle (it has not Dispatched since
 * it was upcalled, or it blocked, or its own budget ran out) the kernel
 * runs the round robin of sched.c over every runnable domain, the scheduler
 * among them, until it calls Dispatch again; events keep going to its ring
 * meanwhile. So no scheduler can stall the others for more than its budget.
 */
#include <vesper/error.h>
#include <vesper/invocation_words.h>

#include "activation.h"
#include "kernel.h"
#include "sched.h"
#include "scheduler.h"
#include "state.h"

void scheduler_write_event(enum vesper_sched_event_kind kind, const struct domain *d)
{
    struct vesper_control *block = activation_block(kernel.scheduler);
    if (block == NULL)
        return;
    vesper_word head = block->event_head;
    bool room = head - block->event_tail < VESPER_CONTROL_EVENTS;
    if (kind == VESPER_EVENT_RUNNABLE) {
        kernel.wakeups++; /* asks for an upcall even if the ring has no room */
        kernel.last_wakeup = d;
        kernel.last_wakeup_written = room;
    }
    if (!room) {
        block->events_lost++; /* full, or a tail the domain made nonsense of */
        return;
    }
    uint64_t now = hal_clock_now_ns();
    struct vesper_sched_event *e = &block->event[head % VESPER_CONTROL_EVENTS];
    e->kind = kind;
    e->domain = d != NULL ? hal_user_address(d) : 0;
    e->time_ns = now;
    e->used_ns = d != NULL && d == kernel.budget_owner ? now - kernel.dispatched_at_ns : 0;
    block->event_head = head + 1;
}

void scheduler_retract_wakeup(const struct domain *d)
{
    if (kernel.wakeups == 0 || kernel.last_wakeup != d)
        return;
    kernel.wakeups--;
    kernel.last_wakeup = NULL;
    struct vesper_control *block = activation_block(kernel.scheduler);
    if (block != NULL && kernel.last_wakeup_written)
        block->event_head--; /* the last event written: nothing came after it */
}

bool scheduler_upcall(void)
{
    struct domain *s = kernel.scheduler;
    kernel.scheduler_idle = false;
    kernel.budget_owner = NULL;
    if (!activation_upcall(s, VESPER_UPCALL_SCHEDULE, false)) {
        queue_append(&kernel.run_queue, s); /* resumes from its Dispatch */
        return false;
    }
    hal_timer_set_deadline(hal_clock_now_ns() + KERNEL_SCHEDULER_BUDGET_NS);
    return true;
}

void scheduler_start_budget(struct domain *next)
{
    uint64_t now = hal_clock_now_ns();
    kernel.budget_owner = next;
    kernel.dispatched_at_ns = now;
    hal_timer_set_deadline(now + kernel.dispatch_budget_ns);
}

void scheduler_forget(struct domain *d)
{
    if (kernel.budget_owner == d)
        kernel.budget_owner = NULL;
    if (kernel.scheduler == d) {
        kernel.scheduler = NULL;
        kernel.scheduler_idle = false;
    }
}

/* SetScheduler: the caller becomes the domain scheduler (replacing any
 * other). It needs a control block with an activation entry, since the
 * kernel only ever upcalls it; it goes on running now, and its first
 * Dispatch makes it idle. */
static struct syscall_result decode_set_scheduler(const struct invocation *inv)
{
    struct vesper_control *block = activation_block(inv->caller);
    if (block == NULL || block->entry == 0)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (scheduler_ready())
        queue_append(&kernel.run_queue, kernel.scheduler); /* the old one runs plain */
    kernel.scheduler = inv->caller;
    kernel.scheduler_idle = false;
    return result_ok();
}

/* Dispatch(domain, budget): run the domain now, for at most budget ns; an
 * empty slot names no domain and lets the round robin run the runnable
 * domains for the budget. Either way the scheduler is upcalled when the
 * budget ends, or sooner on an event. A caller that is the scheduler goes
 * idle; any other caller goes to the back of the run queue. */
static struct syscall_result decode_dispatch(const struct invocation *inv)
{
    if (inv->length < VESPER_SCHED_CONTROL_DISPATCH_LENGTH)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    struct lookup found = lookup_argument(
        inv, invocation_arg(inv, VESPER_SCHED_CONTROL_DISPATCH_WORD_DOMAIN));
    if (found.error != VESPER_OK)
        return result_lookup(&found, 1);
    struct cap cap = found.slot->cap;
    if (!cap_is_null(cap) && cap_type(cap) != CAP_DOMAIN)
        return result_invalid_capability(1);
    vesper_word budget = invocation_arg(inv, VESPER_SCHED_CONTROL_DISPATCH_WORD_BUDGET);
    if (budget < KERNEL_BUDGET_MIN_NS || budget > KERNEL_BUDGET_MAX_NS)
        return result_range(KERNEL_BUDGET_MIN_NS, KERNEL_BUDGET_MAX_NS);
    struct domain *d = cap_is_null(cap) ? NULL : object_of(cap);
    if (d != NULL && (d->state != DOMAIN_RUNNABLE || d == inv->caller ||
                      (d == kernel.scheduler && kernel.scheduler_idle)))
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    kernel.dispatching = true;
    kernel.dispatch_budget_ns = budget;
    kernel.handoff = d;
    return result_ok();
}

struct syscall_result decode_sched_control_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_SCHED_CONTROL_SET_SCHEDULER: return decode_set_scheduler(inv);
    case VESPER_SCHED_CONTROL_DISPATCH: return decode_dispatch(inv);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}
