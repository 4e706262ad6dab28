/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's global state. There is one instance, `kernel`, zeroed and
 * rebuilt by every kernel_boot(). Beyond this struct the kernel owns no
 * memory: every object it points at was carved from free memory at boot
 * or retyped from Untyped by user code.
 */
#ifndef VESPER_CORE_STATE_H
#define VESPER_CORE_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "cap.h"
#include "domain.h"
#include "irq.h"
#include "objects.h"
#include "pdom.h"

struct kernel_state {
    /* True from the end of kernel_boot() until shutdown. While false every
     * entry returns NULL and changes nothing. */
    bool running;
    int exit_status; /* the root's exit status, once running is false */
    /* The domain on the CPU, or NULL while the kernel idles. Only
     * sched_run(), sched_idle() and sched_stop() write it: entries and IPC
     * say who should run next (handoff) and sched_choose() decides; the
     * fast path hands off through sched_run() too. Between entries it is
     * DOMAIN_RUNNABLE whenever running is true, unless the kernel idles. */
    struct domain *current;
    /* Within one entry, the domain IPC handed the CPU to (a Call's server,
     * the client a ReplyRecv answered): sched_choose() runs it next if it
     * can still run. NULL between entries. */
    struct domain *handoff;
    struct domain *root;
    uintptr_t root_bootinfo; /* address of the bootinfo record */
    /* The head of the derivation-tree list (cdt.h); its own capability is
     * always empty. */
    struct cte cdt_head;
    /* Interrupt lines and their bound notifications (irq.h). */
    struct irq_line irq[HAL_IRQ_LINES_MAX];
    uint64_t irq_unclaimed; /* interrupts on lines no handler claimed (left masked) */
    uint64_t irq_spurious;  /* interrupt entries for lines out of range */
    /* Every PDom's identity (pdom.h): a slot is used exactly while a PDom
     * capability names it, with the slot's generation. */
    struct pdom_slot pdoms[KERNEL_PDOM_SLOTS];
    /* The level-0 table of the PDom user code runs with (hal_pdom_activate),
     * 0 for none: the PDom of the last domain sched_run() ran, unless that
     * PDom has been deleted since. */
    uintptr_t active_pdom;
    /* Runnable domains other than current, in the order they run (sched.h),
     * except an idle domain scheduler, which is on no queue. */
    struct domain_queue run_queue;
    /* The user-level domain scheduler (scheduler.c), or NULL: the domain that
     * installed itself with SchedControl SetScheduler. It is idle (waiting to
     * be upcalled; RUNNABLE, not current, on no queue) from its Dispatch
     * until the kernel upcalls it; at any other time it runs as a plain
     * domain and the round robin decides, as when none is installed. */
    struct domain *scheduler;
    bool scheduler_idle;
    /* RAM not zeroed since boot (unzeroed.h): a bit per 64 KiB block of
     * [base, base + blocks * 64 KiB), set while the block is not zero yet;
     * bits NULL when the HAL gave RAM zeroed. */
    struct {
        uintptr_t base;
        size_t blocks;
        uint8_t *bits;
    } unzeroed;
    /* Within one entry: a Dispatch chose kernel.handoff, with this budget
     * (or chose no domain, when handoff is NULL). */
    bool dispatching;
    uint64_t dispatch_budget_ns;
    /* Within one entry: how many RUNNABLE events went to the scheduler's ring
     * (each asks for an upcall unless an IPC hand-off took it back). */
    unsigned wakeups;
    /* The domain of the last of them, and whether its event found room in
     * the ring: what an IPC hand-off to it takes back. */
    const struct domain *last_wakeup;
    bool last_wakeup_written;
    /* The domain whose Dispatch budget the timer is running, and when it was
     * dispatched; NULL under the round robin and while the scheduler runs. */
    struct domain *budget_owner;
    uint64_t dispatched_at_ns;
    /* Whether Call and ReplyRecv may take the fast path (tests turn it off
     * to check that both paths give the same results). */
    bool fastpath_disabled;
    /* Preemption points passed (preempt.h), and the test hook's period
     * (0: the hardware decides). */
    uint64_t preemption_points;
    uint32_t preempt_test_every;
};

extern struct kernel_state kernel;

/* Shut the kernel down with status: print the shutdown line, stop running. */
void kernel_shutdown(int status);

/* No domain can run and no interrupt can wake one: say so and shut down
 * with KERNEL_NO_DOMAIN_STATUS. */
void kernel_stop_no_domain(void);

#endif
