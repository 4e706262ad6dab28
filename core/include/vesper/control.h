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
     * again. Its registers at that moment are in the kernel's save area,
     * copied to the block's `saved`: VESPER_SYS_RESUME continues them. */
    VESPER_UPCALL_PREEMPTED = 1,
    /* Scheduler only: events wait in the ring; answer with Dispatch. */
    VESPER_UPCALL_SCHEDULE = 2,
    /* The Notification bound to the domain (Domain BindNotification) was
     * signalled while the domain was running or ready to run, not waiting
     * on it: Poll it to see the bits. The context at that moment is saved,
     * as for PREEMPTED. */
    VESPER_UPCALL_EVENT = 3,
    /* The domain faulted while activations were enabled and its block asks
     * for faults (VESPER_CONTROL_FAULT_UPCALLS): `fault_kind` and
     * `fault_word` say what happened, and the faulting context is saved,
     * as for PREEMPTED.
     * Resuming it runs the faulting instruction again. A fault with
     * activations disabled goes to the fault endpoint as always. */
    VESPER_UPCALL_FAULT = 4,
};

/* The block's `flags`, set by the domain. */
enum vesper_control_flags {
    VESPER_CONTROL_FAULT_UPCALLS = 1, /* faults upcall the domain (VESPER_UPCALL_FAULT) */
};

/* A saved register context, as the kernel writes it into the control block
 * at an upcall and as VESPER_SYS_RESUME takes it back from any address the
 * domain may read. On aarch64 its words are the registers: x0-x30 in words
 * 0-30, then SP_EL0 (31), the pc (32), PSTATE (33; only N, Z, C and V are
 * the domain's) and TPIDR_EL0 (34, which a resume replaces with the IPC
 * buffer's address). Under the host HAL a context is a call chain
 * suspended on the domain's stack and the words describe it; a domain may
 * copy them but should not edit them. The kernel checks every context it
 * is given: a resume can give a domain no register value and no memory
 * that it could not have had by itself. */
#define VESPER_CONTEXT_WORDS 40u
struct vesper_context {
    vesper_word word[VESPER_CONTEXT_WORDS];
};

/* Where aarch64 keeps the pc and stack pointer in a struct vesper_context. */
#define VESPER_CONTEXT_AARCH64_SP 31u
#define VESPER_CONTEXT_AARCH64_PC 32u

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
    vesper_word flags;      /* written by the domain: enum vesper_control_flags */
    /* The last FAULT upcall's fault, as a fault endpoint would get it
     * (<vesper/syscall.h>): the kind, then its four words. */
    vesper_word fault_kind;
    vesper_word fault_word[4];
    vesper_word reserved[6];
    struct vesper_sched_event event[VESPER_CONTROL_EVENTS];
    /* The context the kernel took at the last upcall that saved one
     * (PREEMPTED, EVENT, FAULT): a copy of the kernel's own, which Resume
     * with no address continues whatever this copy now says. */
    struct vesper_context saved;
};

#endif
