/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The kernel's trace: one event for each thing it does that a student of the
 * kernel would want to see, handed to a sink the host program installs
 * (vesper-sim --trace). Off by default: each trace point then costs a load
 * and a branch. The events carry addresses as domains see them
 * (hal_user_address()), so a trace names objects as Identify does.
 *
 * The sink runs inside a kernel entry: it may read the event and keep what
 * it likes, and must not call into the kernel.
 */
#ifndef VESPER_KERNEL_TRACE_H
#define VESPER_KERNEL_TRACE_H

#include <stdint.h>

#include <vesper/syscall.h>

enum kernel_trace_category {
    KERNEL_TRACE_SYSCALL = 1u << 0, /* every syscall, its arguments and how it ended */
    KERNEL_TRACE_IPC = 1u << 1,     /* messages, blocking, notifications */
    KERNEL_TRACE_SCHED = 1u << 2,   /* switches, upcalls, the timer, domains stopping */
    KERNEL_TRACE_CAP = 1u << 3,     /* retypes and objects destroyed */
    KERNEL_TRACE_FAULT = 1u << 4,   /* faults and where they went */
    KERNEL_TRACE_IRQ = 1u << 5,     /* interrupts and where they went */
};
#define KERNEL_TRACE_ALL 0x3fu

enum kernel_trace_kind {
    /* SYSCALL. domain made syscall `number` with the words in[]; outcome
     * says how it ended, out[] holds its result words when it returned.
     * For a Call on a capability that is not an Endpoint, `invoked` is the
     * capability's type (enum vesper_object_type), object the object and
     * msg[] the first message words; otherwise invoked is
     * KERNEL_TRACE_NO_OBJECT. A refused syscall names in `site` the kernel
     * function that refused it (host builds only; NULL elsewhere). */
    KERNEL_TRACE_SYSCALL_END,
    /* IPC. domain's message reached `other`: through the endpoint `object`,
     * or (object 0) as the answer to other's Call. in[0] the tag as the
     * receiver got it (label, length, capabilities), in[1-4] message words
     * 0-3, in[5] the badge, in[6] the sender's KERNEL_TRACE_MESSAGE_*
     * flags. */
    KERNEL_TRACE_IPC_MESSAGE,
    /* IPC. domain waits: number says for what (enum kernel_trace_wait),
     * object is what it waits on. */
    KERNEL_TRACE_IPC_BLOCK,
    /* IPC. The notification `object` was signalled with badge in[0] by
     * domain (0: an interrupt); other is the domain it woke, or 0, and
     * in[1] the word it still holds. */
    KERNEL_TRACE_IPC_SIGNAL,
    /* IPC. A capability of domain's message reached `other`: number its
     * type, object its object, in[0] its rights, in[1] its badge; in[2] the
     * receiver's slot it was copied into, or 0 when it arrived unwrapped
     * as its badge (a capability to the endpoint the message came
     * through). Before the message's own event. */
    KERNEL_TRACE_IPC_TRANSFER,
    /* SCHED. The CPU passes from domain (0: none, the kernel idled) to other. */
    KERNEL_TRACE_SWITCH,
    /* SCHED. domain is upcalled with reason `number` (VESPER_UPCALL_*). */
    KERNEL_TRACE_UPCALL,
    /* SCHED. domain stopped with status `number`. */
    KERNEL_TRACE_STOP,
    /* SCHED. The timer's deadline passed while domain ran (0: idle). */
    KERNEL_TRACE_TIMER,
    /* CAP. The Untyped `other` made in[0] objects of type `number`
     * (enum vesper_object_type) of in[1] size bits, the first at object,
     * for domain. */
    KERNEL_TRACE_RETYPE,
    /* CAP. The last capability to `object`, of type `number`, was deleted
     * by domain's syscall: the object is gone. */
    KERNEL_TRACE_DESTROY,
    /* FAULT. domain faulted: number the kind (VESPER_FAULT_*), in[0-3] its
     * words (for a page fault: cause, pc, address, access); other is where
     * it went: 0 when the domain stopped, else object is the handler's
     * endpoint, or other == domain when an upcall took it. */
    KERNEL_TRACE_FAULT_TAKEN,
    /* IRQ. Line `number` was raised; object is the notification signalled,
     * or 0 when no handler claims the line. */
    KERNEL_TRACE_IRQ_RAISED,
};

/* What a domain waits for (IPC_BLOCK), as the kernel's domain states
 * number them. */
enum kernel_trace_wait {
    KERNEL_TRACE_WAIT_SEND = 2,         /* a receiver, on an endpoint */
    KERNEL_TRACE_WAIT_RECEIVE = 3,      /* a sender, on an endpoint */
    KERNEL_TRACE_WAIT_REPLY = 4,        /* the answer to its Call, through a Reply object */
    KERNEL_TRACE_WAIT_NOTIFICATION = 5, /* a signal */
};

/* What a message was (IPC_MESSAGE in[6]). */
#define KERNEL_TRACE_MESSAGE_CALL 1u  /* a Call: the sender waits for the answer */
#define KERNEL_TRACE_MESSAGE_FAULT 2u /* a fault, sent for the domain by the kernel */

/* How a traced syscall ended. */
enum kernel_trace_outcome {
    KERNEL_TRACE_RETURNED, /* the caller runs on: out[] holds its results */
    KERNEL_TRACE_BLOCKED,  /* the caller waits for a partner */
    KERNEL_TRACE_STOPPED,  /* the caller stopped (Exit, or a fault with no handler) */
    KERNEL_TRACE_RESTART,  /* stopped at a preemption point: it will be made again */
    KERNEL_TRACE_FASTPATH, /* IPC's fast path handed the CPU to the partner */
};

#define KERNEL_TRACE_NO_OBJECT 0xffu
#define KERNEL_TRACE_MSG_WORDS 12u

struct kernel_trace_event {
    uint32_t kind;     /* enum kernel_trace_kind */
    uint32_t category; /* its enum kernel_trace_category */
    uint64_t time_ns;  /* hal_clock_now_ns() */
    uintptr_t domain;  /* the domain acting, or 0 */
    uintptr_t other;   /* the second domain or object, or 0 */
    uintptr_t object;  /* the object acted on, or 0 */
    uint64_t number;
    uint64_t in[VESPER_SYSCALL_ARGS];
    uint64_t out[VESPER_SYSCALL_ARGS];
    uint64_t msg[KERNEL_TRACE_MSG_WORDS];
    uint32_t outcome;  /* SYSCALL_END: enum kernel_trace_outcome */
    uint32_t invoked;  /* SYSCALL_END: see above */
    uint32_t msg_length; /* SYSCALL_END: how many of msg[] hold words */
    const char *site;
};

typedef void kernel_trace_sink(const struct kernel_trace_event *event);

/* Send the events of the given categories (a mask of enum
 * kernel_trace_category) to sink from now on; 0 or a NULL sink turns the
 * trace off. Kept across boots. */
void kernel_trace_set(unsigned categories, kernel_trace_sink *sink);

#endif
