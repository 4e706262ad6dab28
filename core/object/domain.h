/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Domain object: the schedulable entity (in Nemesis' sense, not a
 * thread). A domain that is not running keeps its whole state here; the
 * kernel has no per-domain stack.
 *
 * A domain holds real capabilities, in slots of its own that are part of
 * the derivation tree (as an seL4 TCB does): its CSpace root, its PDom, its
 * fault endpoint and the frame of its IPC buffer. Revoking or deleting the
 * capabilities they came from empties them, so a domain never keeps
 * authority that was taken away.
 */
#ifndef VESPER_CORE_DOMAIN_H
#define VESPER_CORE_DOMAIN_H

#include <stdint.h>

#include "cap.h"
#include "hal.h"
#include "objects.h"

struct reply;
struct notification;

enum domain_state {
    DOMAIN_INACTIVE = 0,  /* made but never started; memory is all zero */
    DOMAIN_RUNNABLE,      /* running, or on the run queue */
    DOMAIN_BLOCKED_SEND,  /* on an endpoint's queue, waiting for a receiver */
    DOMAIN_BLOCKED_RECV,  /* on an endpoint's queue, waiting for a sender */
    DOMAIN_BLOCKED_REPLY, /* made a Call (or faulted); a Reply object names it */
    DOMAIN_BLOCKED_NTFN,  /* on a notification's queue, waiting for a signal */
    DOMAIN_STOPPED,       /* exited, faulted without a handler, or destroyed */
};

/* What a domain blocked on an endpoint is doing (flags in ipc_flags). The
 * two grant flags have the values of the rights they come from, so that a
 * send takes them from its capability with one mask. */
#define IPC_CALL 1u       /* a Call: the sender waits for a reply */
#define IPC_FAULT 2u      /* the message is the domain's fault, not its registers */
#define IPC_GRANT 4u      /* its endpoint capability has the grant right */
#define IPC_GRANT_REPLY 8u /* ... and the grant-reply right: the reply may carry capabilities */
#define IPC_GRANT_RIGHTS (VESPER_RIGHT_GRANT | VESPER_RIGHT_GRANT_REPLY)
_Static_assert(IPC_GRANT == VESPER_RIGHT_GRANT, "IPC_GRANT is the grant right");
_Static_assert(IPC_GRANT_REPLY == VESPER_RIGHT_GRANT_REPLY, "IPC_GRANT_REPLY is its right");

enum domain_slot {
    DOMAIN_SLOT_CSPACE = 0,         /* empty or a CNode capability */
    DOMAIN_SLOT_PDOM = 1,           /* empty or a PDom capability */
    DOMAIN_SLOT_FAULT_ENDPOINT = 2, /* empty or an Endpoint capability */
    DOMAIN_SLOT_IPC_BUFFER = 3,     /* empty or the Frame holding ipc_buffer */
    DOMAIN_SLOT_COUNT = 4,
};

struct domain {
    struct object_header header;
    struct cte slots[DOMAIN_SLOT_COUNT];
    /* Saved user registers. Valid whenever the domain is not running on the
     * CPU; the HAL writes them at each kernel entry. */
    struct hal_context context;
    uint32_t state;       /* enum domain_state */
    int32_t exit_status;  /* meaningful once state is DOMAIN_STOPPED */
    /* Address of its IPC buffer; meaningful only while the IPC buffer slot
     * holds a frame, which then contains the whole buffer. */
    uintptr_t ipc_buffer;

    /* Queues. A domain is on at most one queue, and which one follows from
     * its state: RUNNABLE and not current, the run queue; BLOCKED_SEND or
     * BLOCKED_RECV, the queue of the endpoint `blocked_on`; BLOCKED_NTFN,
     * the queue of the notification `blocked_on`. */
    struct domain *queue_next;
    struct domain *queue_prev;
    void *blocked_on;           /* endpoint or notification, while blocked on one */
    uint64_t ipc_badge;         /* badge of the capability it sends with */
    uint32_t ipc_flags;         /* IPC_CALL, IPC_GRANT, IPC_FAULT */
    /* The Reply object: offered while BLOCKED_RECV (for a Call to bind),
     * or the one naming it while BLOCKED_REPLY. */
    struct reply *reply;
    struct notification *bound;  /* its bound notification, or NULL */
    /* A fault waiting to be delivered or answered: kind and message words. */
    uint32_t fault;
    uint64_t fault_words[4];

    /* Activations (core/sched/activation.c). `control` is the address of
     * its control block (0: none), checked at every use. `saved` is the
     * kernel's save area: the context it took the CPU from with activations
     * enabled, valid while saved_valid, until VESPER_SYS_RESUME continues
     * it. upcall_pending is the reason to upcall with when the domain next
     * runs (0: none). */
    uintptr_t control;
    uint32_t saved_valid;
    uint32_t upcall_pending;
    struct hal_context saved;

    /* A CancelBadgedSends it made that a preemption point stopped
     * (endpoint.c): the endpoint, the badge and the sender queued there to
     * look at next, whose cancel_owner is this domain; all zero when none.
     * cancel_owner: the domain whose stopped CancelBadgedSends looks at
     * this one next, or NULL. */
    struct endpoint *cancel_endpoint;
    uint64_t cancel_badge;
    struct domain *cancel_next;
    struct domain *cancel_owner;
};

_Static_assert(sizeof(struct domain) <= (1u << VESPER_DOMAIN_BITS),
               "struct domain outgrew its object size");

/* The IPC buffer the kernel may use for d, or NULL when it has none or its
 * PDom does not let it read and write the buffer: then IPC carries only
 * what fits in registers, as without a buffer. */
struct vesper_ipc_buffer *domain_ipc_buffer(struct domain *d);

/* The kernel's view of [address, address + length) of user memory, to be
 * accessed on d's behalf with `access` (VESPER_FRAME_READ, WRITE or both),
 * or NULL when it may not be. Every access the kernel makes to user memory
 * for a domain goes through here (the debug print, IPC buffers and the
 * receive slots they name), so that a domain cannot have the kernel touch
 * what it could not: the range must be RAM and every page of it granted to
 * d's PDom with those rights, or, for reading only, lie in the boot image
 * (docs/objects/pdom.md). A domain with no PDom may only read the image. */
void *domain_user_view(const struct domain *d, uintptr_t address, size_t length,
                       unsigned access);

#endif
