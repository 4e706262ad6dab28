/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The layouts of the small kernel objects, and the header that lets the
 * invariant checker see that a capability points at a live object of its
 * type. Retype zeroes an object's memory and writes its header; destroying
 * the object clears the header. CNodes, Frames, PDoms and PageTables have
 * no header: their memory is all slots, user data or hardware tables.
 */
#ifndef VESPER_CORE_OBJECTS_H
#define VESPER_CORE_OBJECTS_H

#include <stdint.h>

#include <vesper/object.h>

#include "cap.h"
#include "hal.h"

struct object_header {
    uint32_t type; /* enum cap_type of a live object, 0 once destroyed */
    uint32_t reserved;
};

struct domain;

/* A queue of domains, linked through their queue_next/queue_prev. */
struct domain_queue {
    struct domain *head;
    struct domain *tail;
};

enum endpoint_state {
    ENDPOINT_IDLE = 0, /* the queue is empty */
    ENDPOINT_SEND,     /* the queue holds senders */
    ENDPOINT_RECV,     /* the queue holds receivers */
};

/* A synchronous rendezvous point: at any time its queue holds only
 * senders or only receivers, in arrival order. */
struct endpoint {
    struct object_header header;
    struct domain_queue queue;
    uint64_t state; /* enum endpoint_state; IDLE exactly when the queue is empty */
};

/* A word of signal bits: Signal ORs a badge in, Wait returns and clears it.
 * Waiters queue only while the word is zero. */
struct notification {
    struct object_header header;
    uint64_t word;
    struct domain_queue queue;
    struct domain *bound; /* the domain it is bound to, or NULL */
};

/* One-shot authority to answer a Call. Offered by a receiver while it
 * waits (receiver), then bound to the caller until answered (caller);
 * never both. */
struct reply {
    struct object_header header;
    struct domain *receiver;
    struct domain *caller;
    uint64_t reserved;
};

_Static_assert(sizeof(struct endpoint) <= (1u << VESPER_ENDPOINT_BITS), "endpoint size");
_Static_assert(sizeof(struct notification) <= (1u << VESPER_NOTIFICATION_BITS), "notification size");
_Static_assert(sizeof(struct reply) <= (1u << VESPER_REPLY_BITS), "reply size");

/* The kernel's pointer to the object a capability names (always RAM). */
static inline void *object_of(struct cap cap)
{
    return hal_kernel_pointer(cap_address(cap));
}

/* The header of a capability's object, or NULL for types without one. */
struct object_header *object_header_of(struct cap cap);

/* Write the header (and nothing else) of a freshly zeroed object. */
void object_init(struct cap cap);

/* Clear the header of an object being destroyed. */
void object_clear(struct cap cap);

#endif
