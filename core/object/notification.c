/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Notifications (see ipc.h): a word of bits that Signal ORs in and Wait
 * takes; a domain bound to one also receives it while it waits on an
 * endpoint.
 */
#include "activation.h"
#include "ipc.h"
#include "sched.h"
#include "trace.h"

void notification_signal(struct notification *n, uint64_t badge)
{
    struct domain *waiter = n->queue.head;
    if (waiter != NULL) {
        queue_remove(&n->queue, waiter);
        ipc_set_results(waiter, VESPER_OK, 0, NULL, badge);
        trace_signal(n, badge, waiter, 0);
        sched_make_runnable(waiter);
        return;
    }
    /* A bound domain receiving on an endpoint takes every pending bit (it
     * may have been bound with some already set), as Wait would. */
    struct domain *bound = n->bound;
    if (bound != NULL && bound->state == DOMAIN_BLOCKED_RECV) {
        struct endpoint *ep = bound->blocked_on;
        endpoint_dequeue(ep, bound);
        take_offered_reply(bound);
        ipc_set_results(bound, VESPER_OK, 0, NULL, n->word | badge);
        n->word = 0;
        trace_signal(n, badge, bound, 0);
        sched_make_runnable(bound);
        return;
    }
    n->word |= badge;
    trace_signal(n, badge, NULL, n->word);
    /* A domain bound to it but busy learns of the bits by an upcall. */
    if (bound != NULL && bound->state == DOMAIN_RUNNABLE && n->word != 0)
        activation_note_event(bound);
}

void notification_wait(struct domain *d, struct notification *n, bool blocking)
{
    if (n->word != 0 || !blocking) {
        uint64_t word = n->word;
        n->word = 0;
        ipc_set_results(d, VESPER_OK, 0, NULL, word);
        return;
    }
    sched_remove(d);
    d->state = DOMAIN_BLOCKED_NTFN;
    d->blocked_on = n;
    queue_append(&n->queue, d);
    trace_block(d, DOMAIN_BLOCKED_NTFN, n);
}

bool notification_cancel_first(struct notification *n)
{
    struct domain *d = queue_pop(&n->queue);
    if (d != NULL)
        wake_cancelled(d);
    return d != NULL;
}

void notification_cancel_all(struct notification *n)
{
    while (notification_cancel_first(n)) {
    }
    if (n->bound != NULL) {
        n->bound->bound = NULL;
        n->bound = NULL;
    }
}
