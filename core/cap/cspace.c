/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* CSpace address resolution (see cspace.h). */
#include "cspace.h"
#include "hal.h"

/* The `count` bits of value that end `end` bits from its bottom:
 * bits [end - count, end). count is a guard's size (at most 63) and at
 * most end (at most 64), so both shifts are in range. */
static uint64_t bits_below(uint64_t value, unsigned end, unsigned count)
{
    if (count == 0)
        return 0;
    return (value >> (end - count)) & ((UINT64_C(1) << count) - 1);
}

static struct lookup lookup_failed(enum vesper_lookup_failure failure, unsigned bits_left)
{
    struct lookup r = {VESPER_ERR_FAILED_LOOKUP, failure, bits_left, NULL};
    return r;
}

/* Why a level that needs more bits than are left fails: the guard cannot
 * be matched, or it can and the index runs past the depth. */
static struct lookup level_too_deep(struct cap node, uint64_t cptr, unsigned left)
{
    unsigned guard_size = cnode_guard_size(node);
    if (guard_size > left || bits_below(cptr, left, guard_size) != cnode_guard(node))
        return lookup_failed(VESPER_LOOKUP_GUARD_MISMATCH, left);
    return lookup_failed(VESPER_LOOKUP_DEPTH_MISMATCH, left);
}

/* Resolve up to `depth` bits. On success .slot is set and .bits_left says
 * how many bits were not consumed (non-zero only when resolution stopped
 * at a slot without a CNode capability). Each level takes its guard and
 * radix bits in one extraction: this is on every syscall's path. */
static struct lookup resolve(struct cap node, uint64_t cptr, unsigned depth)
{
    unsigned left = depth;
    if (cap_type(node) != CAP_CNODE)
        return lookup_failed(VESPER_LOOKUP_INVALID_ROOT, left);
    for (;;) {
        unsigned radix = cnode_radix(node);
        unsigned level = radix + cnode_guard_size(node);
        if (level > left)
            return level_too_deep(node, cptr, left);
        /* The level's bits: [left - level, left) of the address. radix is
         * at most 16 and level at least 1, so every shift is in range. */
        uint64_t below_left = left == 64 ? cptr : cptr & ((UINT64_C(1) << left) - 1);
        uint64_t bits = below_left >> (left - level);
        if (bits >> radix != cnode_guard(node))
            return lookup_failed(VESPER_LOOKUP_GUARD_MISMATCH, left);
        uint64_t index = bits & ((UINT64_C(1) << radix) - 1);
        struct cte *slot = &cnode_slots(node)[index];
        left -= level;
        if (left == 0 || cap_type(slot->cap) != CAP_CNODE) {
            struct lookup r = {VESPER_OK, 0, left, slot};
            return r;
        }
        node = slot->cap;
    }
}

struct lookup cspace_lookup_slot(struct cap root, uint64_t cptr, unsigned depth)
{
    if (depth < 1 || depth > 64) {
        struct lookup r = {VESPER_ERR_RANGE, 0, 0, NULL};
        return r;
    }
    struct lookup r = resolve(root, cptr, depth);
    if (r.error == VESPER_OK && r.bits_left != 0)
        return lookup_failed(VESPER_LOOKUP_DEPTH_MISMATCH, r.bits_left);
    return r;
}

struct lookup cspace_lookup_invocation(struct cap root, uint64_t cptr)
{
    return resolve(root, cptr, 64);
}
