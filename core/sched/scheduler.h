/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The user-level domain scheduler's side of the kernel (scheduler.c): the
 * event ring in its control block, its upcall, and SchedControl's
 * invocations. The policy is all in the scheduler domain; the kernel only
 * tells it what happened, upcalls it when a decision is needed, and runs
 * what it Dispatches for the budget it names.
 */
#ifndef VESPER_CORE_SCHEDULER_H
#define VESPER_CORE_SCHEDULER_H

#include <stdbool.h>
#include <stdint.h>

#include <vesper/control.h>

#include "domain.h"
#include "invoke.h"
#include "state.h"

/* Append an event about d (NULL: no domain) to the installed scheduler's
 * ring; nothing when none is installed. used_ns is filled in when d holds
 * the running Dispatch budget. Inline, so that without a scheduler an
 * entry pays one test. */
void scheduler_write_event(enum vesper_sched_event_kind kind, const struct domain *d);

static inline void scheduler_event(enum vesper_sched_event_kind kind, const struct domain *d)
{
    if (kernel.scheduler != NULL)
        scheduler_write_event(kind, d);
}

/* Take back the RUNNABLE event of d if it is the last one written in this
 * entry: an IPC hand-off ran d without the scheduler. */
void scheduler_retract_wakeup(const struct domain *d);

/* Whether the scheduler is idle and may be upcalled now. */
static inline bool scheduler_ready(void)
{
    return kernel.scheduler != NULL && kernel.scheduler_idle;
}

/* Upcall the idle scheduler with a budget of KERNEL_SCHEDULER_BUDGET_NS;
 * false when it cannot be (its control block or entry is gone: it is then
 * put back among the runnable domains, where it resumes as a plain one). */
bool scheduler_upcall(void);

/* Apply a Dispatch made in this entry, now that next (the domain it chose,
 * or the fallback's choice for a Dispatch of no domain) is about to run:
 * its budget starts. */
void scheduler_start_budget(struct domain *next);

/* d stopped: it no longer schedules, holds a budget, or waits to. */
void scheduler_forget(struct domain *d);

struct syscall_result decode_sched_control_invocation(const struct invocation *inv);

#endif
