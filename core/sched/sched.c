/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Queues, the choice of who runs next, and the round-robin fallback (see sched.h). */
#include "activation.h"
#include "kernel.h"
#include "sched.h"
#include "scheduler.h"
#include "state.h"

void sched_make_runnable(struct domain *d)
{
    d->state = DOMAIN_RUNNABLE;
    d->blocked_on = NULL;
    if (d != kernel.current) {
        queue_append(&kernel.run_queue, d);
        if (d != kernel.scheduler)
            scheduler_event(VESPER_EVENT_RUNNABLE, d);
    }
}

void sched_remove(struct domain *d)
{
    if (d == kernel.scheduler && kernel.scheduler_idle) {
        kernel.scheduler_idle = false; /* idle: on no queue */
        return;
    }
    if (d->state == DOMAIN_RUNNABLE && d != kernel.current)
        queue_remove(&kernel.run_queue, d);
}

void sched_hand_off(struct domain *d)
{
    kernel.handoff = d;
    scheduler_retract_wakeup(d); /* IPC runs d without asking the scheduler */
}

/* The domain handed off to in this entry, taken off the run queue, or NULL
 * if there is none or it can no longer run. Clears the hand-off. */
static struct domain *take_handoff(void)
{
    struct domain *d = kernel.handoff;
    kernel.handoff = NULL;
    if (d == NULL || d->state != DOMAIN_RUNNABLE)
        return NULL;
    if (d != kernel.current)
        queue_remove(&kernel.run_queue, d); /* runnable and not current: queued */
    return d;
}

void sched_new_slice(void)
{
    hal_timer_set_deadline(hal_clock_now_ns() + KERNEL_QUANTUM_NS);
}

/* Whether the current domain, still runnable, must give up the CPU now. */
static bool current_must_leave(enum sched_cause cause)
{
    if (cause != SCHED_AFTER_SYSCALL)
        return true; /* it yielded, or its slice or budget ended */
    return kernel.wakeups > 0 && scheduler_ready(); /* the scheduler decides */
}

/* The current domain leaves the CPU: tell the scheduler why, and put it
 * where it waits to run again. */
static void leave_cpu(struct domain *d, enum sched_cause cause, bool handed_off)
{
    bool runs = d->state == DOMAIN_RUNNABLE;
    if (d == kernel.scheduler) {
        if (runs && kernel.dispatching) {
            kernel.scheduler_idle = true; /* it decided: wait for the next upcall */
            return;
        }
    } else if (!runs) {
        if (!handed_off)
            scheduler_event(VESPER_EVENT_BLOCKED, d);
    } else if (cause == SCHED_AFTER_TIMER) {
        scheduler_event(VESPER_EVENT_BUDGET, d);
    } else if (cause == SCHED_AFTER_YIELD) {
        scheduler_event(VESPER_EVENT_YIELDED, d);
    } else {
        scheduler_event(VESPER_EVENT_PREEMPTED, d); /* it still runs, another does */
    }
    if (!runs)
        return;
    queue_append(&kernel.run_queue, d);
    /* Taken against its will: the timer, or the scheduler wanting the CPU
     * for a wakeup. A hand-off or its own Dispatch is its own doing. */
    if (cause == SCHED_AFTER_TIMER ||
        (cause == SCHED_AFTER_SYSCALL && !handed_off && !kernel.dispatching))
        activation_note_preempted(d);
}

/* No hand-off, Dispatch or current domain decides: upcall the scheduler
 * if it is idle, else the round robin takes the next on the run queue. */
static struct domain *choose_by_policy(void)
{
    if (!kernel.dispatching && scheduler_ready() && scheduler_upcall())
        return kernel.scheduler;
    /* A Dispatch of no domain with nothing else to run: rather than stop
     * with the scheduler runnable, ask it again. */
    if (kernel.run_queue.head == NULL && scheduler_ready() && scheduler_upcall()) {
        kernel.dispatching = false; /* its budget is the upcall's, not the Dispatch's */
        return kernel.scheduler;
    }
    /* (An upcall that failed put the scheduler on the queue, to run plain.) */
    struct domain *next = queue_pop(&kernel.run_queue);
    if (next != NULL && !kernel.dispatching)
        sched_new_slice(); /* from the queue: a slice of its own */
    return next;
}

struct domain *sched_choose(enum sched_cause cause)
{
    struct domain *current = kernel.current;
    bool current_runs = current != NULL && current->state == DOMAIN_RUNNABLE;
    struct domain *next = take_handoff();
    bool handed_off = next != NULL;
    if (next == NULL && current_runs && !kernel.dispatching && !current_must_leave(cause))
        next = current;
    if (next != current && current != NULL)
        leave_cpu(current, cause, handed_off);
    if (next == NULL)
        next = choose_by_policy();
    if (next != NULL && kernel.dispatching)
        scheduler_start_budget(handed_off ? next : NULL);
    kernel.dispatching = false;
    kernel.wakeups = 0;
    kernel.last_wakeup = NULL;
    if (next != NULL) {
        /* Even for the current domain: preempted with nobody else to run,
         * it gets the CPU back at once, and its upcall with it. */
        activation_before_run(next);
        sched_run(next);
    }
    return next; /* NULL: the caller idles the kernel (sched_idle()) or stops it */
}

void sched_idle(void)
{
    kernel.current = NULL;
    kernel.budget_owner = NULL;
}

void sched_stop(void)
{
    kernel.current = NULL;
    kernel.handoff = NULL;
    kernel.dispatching = false;
    kernel.wakeups = 0;
    kernel.last_wakeup = NULL;
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
}
