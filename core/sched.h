/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Domain queues and the fallback scheduler.
 *
 * The kernel keeps one run queue of runnable domains besides the current
 * one, served round-robin; a user-level scheduler (SchedControl) will take
 * over the policy later. IPC does not consult it: a Call hands the CPU
 * straight to the server and a Reply hands it back.
 */
#ifndef VESPER_CORE_SCHED_H
#define VESPER_CORE_SCHED_H

#include <stdbool.h>

#include "domain.h"
#include "objects.h"

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

/* The domain to run after an entry: the current one if it can still run
 * (and did not yield), else the next on the run queue. NULL when none can
 * run. Sets kernel.current. */
struct domain *sched_choose(bool yielded);

#endif
