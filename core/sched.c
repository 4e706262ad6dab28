/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Queues and the round-robin fallback scheduler (see sched.h). */
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

struct domain *sched_choose(bool yielded)
{
    struct domain *current = kernel.current;
    bool current_runs = current != NULL && current->state == DOMAIN_RUNNABLE;
    if (current_runs && !yielded)
        return current;
    if (current_runs)
        queue_append(&kernel.run_queue, current);
    kernel.current = queue_pop(&kernel.run_queue);
    return kernel.current;
}
