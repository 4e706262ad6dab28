/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * A domain's control block: the memory it shares with the kernel for
 * activations and, in the domain scheduler, for scheduling events
 * (docs/scheduling.md).
 *
 * A domain names its control block with Domain SetControlBlock. The block
 * must lie in RAM that the domain's PDom may read and write; the kernel
 * checks that at every use, so a block the domain may not write, or no
 * longer may, is no block at all: the domain then runs as a plain context.
 *
 * The domain writes the activation fields (entry, stack, disabled); the
 * kernel writes the rest. Words are little-endian 64-bit on both HALs.
 */
#ifndef VESPER_CONTROL_H
#define VESPER_CONTROL_H

#include <vesper/types.h>

/* Why the kernel upcalls a domain's activation entry. The entry's one
 * argument is the control block's address ORed with the reason (the block
 * is 64-byte aligned), so that a handler finds its block, and knows why it
 * runs even if the block was scribbled over. */
enum vesper_upcall_reason {
    /* The domain lost the CPU while activations were enabled (its budget
     * or slice ended, or the scheduler took the CPU back) and now has it
     * again. Its registers at that moment are in the kernel's save area:
     * VESPER_SYS_RESUME continues them. */
    VESPER_UPCALL_PREEMPTED = 1,
    /* Scheduler only: events wait in the ring; answer with Dispatch. */
    VESPER_UPCALL_SCHEDULE = 2,
    /* The Notification bound to the domain (Domain BindNotification) was
     * signalled while the domain was running or ready to run, not waiting
     * on it: Poll it to see the bits. The context at that moment is saved,
     * as for PREEMPTED. */
    VESPER_UPCALL_EVENT = 3,
};

/* What happened, in a scheduling event (struct vesper_sched_event). */
enum vesper_sched_event_kind {
    VESPER_EVENT_RUNNABLE = 1, /* the domain became runnable (not by an IPC hand-off) */
    VESPER_EVENT_BLOCKED = 2,  /* it blocked, or stopped, with no IPC partner to run */
    VESPER_EVENT_YIELDED = 3,  /* it yielded */
    VESPER_EVENT_BUDGET = 4,   /* its budget ran out */
    VESPER_EVENT_PREEMPTED = 5, /* it was running when another domain became runnable */
};

struct vesper_sched_event {
    vesper_word kind;    /* enum vesper_sched_event_kind */
    vesper_word domain;  /* the domain's object address (what Identify answers) */
    vesper_word time_ns; /* the kernel's clock when it happened */
    vesper_word used_ns; /* time run since its last Dispatch, for BLOCKED,
                          * YIELDED, BUDGET and PREEMPTED of the dispatched
                          * domain; 0 otherwise, and for a domain that
                          * stopped (it holds no budget any more) */
};

#define VESPER_CONTROL_EVENTS 64u
#define VESPER_UPCALL_REASON_MASK 63u

struct vesper_control {
    /* Written by the domain. */
    vesper_word entry;      /* activation entry, entry(block | reason); 0: none */
    vesper_word stack_base; /* the activation stack: [base, base + size), */
    vesper_word stack_size; /* 16-byte aligned, separate from every other stack */
    vesper_word disabled;   /* nonzero: activations are off (the kernel sets it at
                             * an upcall; VESPER_SYS_RESUME clears it) */
    /* Written by the kernel. */
    vesper_word reason;     /* the reason of the last upcall */
    vesper_word missed;     /* bit (1 << reason) for each upcall not made because
                             * activations were disabled; the domain clears it */
    vesper_word upcalls;    /* upcalls made */
    vesper_word now_ns;     /* the kernel's clock at the last upcall */
    /* The event ring (the scheduler's): the kernel writes event[head % N]
     * and then advances head; the domain reads from tail and advances it.
     * When the ring is full the kernel drops the event and counts it. */
    vesper_word event_head;
    vesper_word event_tail;
    vesper_word events_lost;
    vesper_word user;       /* the domain's own: libos keeps its state's address here */
    vesper_word reserved[4];
    struct vesper_sched_event event[VESPER_CONTROL_EVENTS];
};

#endif
