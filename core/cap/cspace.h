/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * CSpace addressing: resolving a capability address (CPtr) through a tree
 * of CNodes, with guards and an explicit depth, as seL4 does.
 *
 * Each CNode capability on the way consumes its guard (guard size bits
 * that must equal its guard) and then radix bits that index a slot, from
 * the most significant end of the `depth` bits of the address. When bits
 * remain and the slot holds a CNode capability, resolution goes on in it.
 */
#ifndef VESPER_CORE_CSPACE_H
#define VESPER_CORE_CSPACE_H

#include <vesper/error.h>

#include "cap.h"
#include "hal.h"

/* .error is VESPER_OK, VESPER_ERR_FAILED_LOOKUP (.failure says why) or,
 * from cspace_lookup_slot() only, VESPER_ERR_RANGE. */
struct lookup {
    enum vesper_error error;
    enum vesper_lookup_failure failure;
    unsigned bits_left;               /* of the address, when it failed, or
                                       * not consumed by an invocation */
    struct cte *slot;                 /* the slot found, on success */
};

/* The slot at exactly `depth` bits (1 to 64) of cptr from root: every bit
 * must be consumed by guards and indices. The slot may be empty. Answers
 * VESPER_ERR_RANGE (in .error) for a depth out of range. */
struct lookup cspace_lookup_slot(struct cap root, uint64_t cptr, unsigned depth);

/* The slot named by cptr for an invocation: 64 bits of address, resolution
 * stopping at the first slot that does not hold a CNode capability, as
 * seL4's lookupCap. Never answers VESPER_ERR_RANGE. */
struct lookup cspace_lookup_invocation(struct cap root, uint64_t cptr);

/* Whether root is a CNode that takes all 64 bits of a CPtr in one level,
 * as the root CSpace at boot does. */
static inline bool cspace_is_one_level(struct cap root);

/* The slot named by cptr in such a root, or NULL if its guard does not
 * match (then cspace_lookup_invocation() says why). The IPC fast path's
 * lookup: a few instructions instead of a loop. */
static inline struct cte *cspace_one_level_slot(struct cap root, uint64_t cptr);

/* The CNode's slot array, for a CNode capability. */
static inline struct cte *cnode_slots(struct cap cnode)
{
    return hal_kernel_pointer(cap_address(cnode));
}

static inline bool cspace_is_one_level(struct cap root)
{
    return cap_type(root) == CAP_CNODE && cnode_radix(root) + cnode_guard_size(root) == 64;
}

static inline struct cte *cspace_one_level_slot(struct cap root, uint64_t cptr)
{
    unsigned radix = cnode_radix(root);
    if (cptr >> radix != cnode_guard(root))
        return NULL;
    return &cnode_slots(root)[cptr & ((UINT64_C(1) << radix) - 1)];
}

#endif
