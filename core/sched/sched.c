/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Queues and the round-robin fallback scheduler (see sched.h). */
#include "kernel.h"
#include "sched.h"
#include "state.h"

void sched_make_runnable(struct domain *d)
{
    d->state = DOMAIN_RUNNABLE;
    d->blocked_on = NULL;
    if (d != kernel.current)
        queue_append(&kernel.run_queue, d);
}

void sched_remove(struct domain *d)
{
    if (d->state == DOMAIN_RUNNABLE && d != kernel.current)
        queue_remove(&kernel.run_queue, d);
}

void sched_hand_off(struct domain *d)
{
    kernel.handoff = d;
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

struct domain *sched_choose(bool yielded)
{
    struct domain *current = kernel.current;
    bool current_runs = current != NULL && current->state == DOMAIN_RUNNABLE;
    struct domain *next = take_handoff();
    if (next == NULL && current_runs && !yielded)
        next = current;
    if (next != current && current_runs)
        queue_append(&kernel.run_queue, current);
    if (next == NULL) {
        next = queue_pop(&kernel.run_queue);
        if (next != NULL)
            sched_new_slice(); /* from the queue: a slice of its own */
    }
    if (next != NULL)
        sched_run(next);
    return next; /* NULL: the caller shuts the kernel down (sched_stop()) */
}

void sched_stop(void)
{
    kernel.current = NULL;
    kernel.handoff = NULL;
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
}
