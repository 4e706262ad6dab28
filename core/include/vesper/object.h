/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Kernel object types, their sizes, capability rights and invocation
 * labels: the part of the ABI that user code needs to make and use kernel
 * objects. docs/objects/ describes each object type and its operations.
 */
#ifndef VESPER_OBJECT_H
#define VESPER_OBJECT_H

#include <vesper/types.h>

enum vesper_object_type {
    VESPER_OBJECT_NULL = 0, /* an empty slot; not an object */
    VESPER_OBJECT_UNTYPED = 1,
    VESPER_OBJECT_CNODE = 2,
    VESPER_OBJECT_DOMAIN = 3,
    VESPER_OBJECT_ENDPOINT = 4,
    VESPER_OBJECT_NOTIFICATION = 5,
    VESPER_OBJECT_REPLY = 6,
    VESPER_OBJECT_FRAME_4K = 7,
    VESPER_OBJECT_FRAME_2M = 8,
    VESPER_OBJECT_PDOM = 9,
    VESPER_OBJECT_PAGE_TABLE = 10,
    /* Capabilities the kernel makes itself; Retype cannot. */
    VESPER_OBJECT_IRQ_CONTROL = 11,
    VESPER_OBJECT_IRQ_HANDLER = 12,
    VESPER_OBJECT_SCHED_CONTROL = 13,
};

#define VESPER_OBJECT_TYPE_COUNT 14

/* Object sizes, as log2 of bytes. A CNode of radix r takes r +
 * VESPER_SLOT_BITS; an Untyped takes what Retype is asked for. */
#define VESPER_SLOT_BITS 5u
#define VESPER_ENDPOINT_BITS 5u
#define VESPER_NOTIFICATION_BITS 6u
#define VESPER_REPLY_BITS 5u
#define VESPER_DOMAIN_BITS 11u
#define VESPER_FRAME_4K_BITS 12u
#define VESPER_FRAME_2M_BITS 21u
#define VESPER_PDOM_BITS 12u
#define VESPER_PAGE_TABLE_BITS 12u

#define VESPER_CNODE_RADIX_MIN 1u
#define VESPER_CNODE_RADIX_MAX 16u
#define VESPER_UNTYPED_MIN_BITS 4u
#define VESPER_UNTYPED_MAX_BITS 47u
/* At most this many objects per Retype: bounds the work of one call. */
#define VESPER_RETYPE_FANOUT_MAX 256u

/* Capability rights. They only ever shrink as capabilities are derived. */
enum vesper_rights {
    VESPER_RIGHT_READ = 1u << 0,
    VESPER_RIGHT_WRITE = 1u << 1,
    VESPER_RIGHT_GRANT = 1u << 2,
    VESPER_RIGHT_GRANT_REPLY = 1u << 3,
};

#define VESPER_RIGHTS_ALL 0xfu

/* A frame's rights, in a frame capability and in a grant of it to a PDom
 * (docs/objects/frame.md). A frame has no use for GRANT, so the same bit is
 * its right to execute; GRANT_REPLY means nothing to a frame. */
enum vesper_frame_rights {
    VESPER_FRAME_READ = VESPER_RIGHT_READ,
    VESPER_FRAME_WRITE = VESPER_RIGHT_WRITE,
    VESPER_FRAME_EXECUTE = VESPER_RIGHT_GRANT,
};

#define VESPER_FRAME_RIGHTS_ALL 0x7u

/* A capability address: a CPtr resolved through the caller's CSpace. */
typedef vesper_word vesper_cptr;

/* Invocation labels: the label of the message tag of a Call on an
 * object's capability names the operation. */
enum vesper_invocation {
    VESPER_UNTYPED_RETYPE = 1,
    VESPER_CNODE_COPY = 2,
    VESPER_CNODE_MINT = 3,
    VESPER_CNODE_MOVE = 4,
    VESPER_CNODE_MUTATE = 5,
    VESPER_CNODE_ROTATE = 6,
    VESPER_CNODE_DELETE = 7,
    VESPER_CNODE_REVOKE = 8,
    VESPER_DOMAIN_CONFIGURE = 9,
    VESPER_DOMAIN_SET_IPC_BUFFER = 10,
    VESPER_FRAME_GET_ADDRESS = 11,
    VESPER_IRQ_CONTROL_GET = 12,
    VESPER_IRQ_HANDLER_SET_NOTIFICATION = 13,
    VESPER_IRQ_HANDLER_CLEAR = 14,
    /* 15 is not used: identifying a capability is VESPER_SYS_DEBUG_IDENTIFY. */
    VESPER_DOMAIN_START = 16,
    VESPER_DOMAIN_BIND_NOTIFICATION = 17,
    VESPER_DOMAIN_UNBIND_NOTIFICATION = 18,
    VESPER_CNODE_CANCEL_BADGED_SENDS = 19,
    VESPER_FRAME_GRANT = 20,
    VESPER_FRAME_UNGRANT = 21,
    VESPER_PAGE_TABLE_INSTALL = 22,
    VESPER_PAGE_TABLE_UNINSTALL = 23,
    VESPER_DOMAIN_SET_CONTROL_BLOCK = 24,
    VESPER_SCHED_CONTROL_SET_SCHEDULER = 25,
    VESPER_SCHED_CONTROL_DISPATCH = 26,
    VESPER_IRQ_HANDLER_ACK = 27,
};

/* Why a capability lookup failed: result word 1 of VESPER_ERR_FAILED_LOOKUP.
 * Result word 2 holds the bits of the address left unresolved, and result
 * word 3 says which lookup failed: 0 for the invoked capability or a slot
 * addressed relative to it (a CNode operation's destination), then the
 * capability arguments from 1, in the order of the message except in CNode
 * Rotate, whose source is 1 (as in every CNode operation) and whose pivot
 * is 2 although it comes first (docs/objects/ gives the number for each
 * operation). */
enum vesper_lookup_failure {
    VESPER_LOOKUP_INVALID_ROOT = 1,       /* the root is not a CNode */
    VESPER_LOOKUP_MISSING_CAPABILITY = 2, /* the slot is empty */
    VESPER_LOOKUP_DEPTH_MISMATCH = 3,     /* the depth ends inside a level, or
                                           * bits remain at a non-CNode slot */
    VESPER_LOOKUP_GUARD_MISMATCH = 4,     /* the address's guard bits differ */
};

/* CNode capability data for Mint and Mutate: the new guard and its size. */
static inline vesper_word vesper_cnode_guard(vesper_word guard, unsigned guard_bits)
{
    return guard << 6 | (vesper_word)(guard_bits & 0x3fu);
}

#endif
