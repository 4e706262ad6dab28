/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * CNode invocations: Copy, Mint, Move, Mutate, Rotate, Delete, Revoke,
 * CancelBadgedSends.
 *
 * The destination (or target) slot is addressed relative to the invoked
 * CNode with an explicit depth; a source or pivot slot is addressed by a
 * root CNode named in the caller's CSpace, an index and a depth. Every
 * decode function checks everything first; the invoke functions below
 * cannot fail.
 */
#include "cdt.h"
#include "delete.h"
#include "invoke.h"
#include "ipc.h"
#include "objects.h"
#include "objecttype.h"

/* Apply the Mint or Mutate data in message word `index` to *cap. */
static struct syscall_result apply_data(const struct invocation *inv, unsigned index,
                                        bool mutate, struct cap *cap)
{
    switch (cap_update_data(cap, invocation_arg(inv, index), mutate)) {
    case CAP_DATA_BAD_GUARD: return result_invalid_argument(index);
    case CAP_DATA_ILLEGAL: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    default: return result_ok();
    }
}

/* The destination slot (words 0-1), relative to the invoked CNode, of a
 * message that must have at least `length` words. *slot is set only with
 * VESPER_OK, and the callers read it only then, but they start from NULL:
 * gcc cannot see into invoke.c that no error path here returns VESPER_OK
 * and at -O3 would warn that the slot may be read unset. */
static struct syscall_result find_target(const struct invocation *inv, unsigned length,
                                         struct cte **slot)
{
    if (inv->length < length)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word depth = invocation_arg(inv, 1);
    if (depth < 1 || depth > 64)
        return result_range(1, 64);
    struct lookup found = cspace_lookup_slot(inv->slot->cap, invocation_arg(inv, 0), (unsigned)depth);
    if (found.error != VESPER_OK)
        return result_lookup(&found, 0);
    *slot = found.slot;
    return result_ok();
}

/* A non-empty slot named by (root, index, depth) at message words `first`. */
static struct syscall_result find_source(const struct invocation *inv, unsigned first,
                                         unsigned which, struct cte **slot)
{
    struct syscall_result r = lookup_relative_slot(inv, invocation_arg(inv, first),
                                                   invocation_arg(inv, first + 1),
                                                   invocation_arg(inv, first + 2), which, slot);
    if (r.error == VESPER_OK && cap_is_null((*slot)->cap)) {
        struct lookup missing = {VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_MISSING_CAPABILITY, 0, NULL};
        return result_lookup(&missing, which);
    }
    return r;
}

/* A message of at least `length` words naming the destination (words 0-1)
 * and a non-empty source (words 2-4): Copy, Mint, Move and Mutate. */
static struct syscall_result find_target_and_source(const struct invocation *inv,
                                                    unsigned length, struct cte **dest,
                                                    struct cte **src)
{
    struct syscall_result r = find_target(inv, length, dest);
    if (r.error == VESPER_OK)
        r = find_source(inv, 2, 1, src);
    return r;
}

static void invoke_cnode_copy(struct cte *src, struct cte *dest, struct cap cap)
{
    cdt_insert_child(src, dest, cap);
}

/* Copy(dest index, dest depth, src root, src index, src depth, rights) and
 * Mint(..., rights, data). */
static struct syscall_result decode_copy(const struct invocation *inv, bool mint)
{
    struct cte *dest = NULL, *src = NULL;
    struct syscall_result r = find_target_and_source(inv, mint ? 7u : 6u, &dest, &src);
    if (r.error != VESPER_OK)
        return r;
    vesper_word rights = invocation_arg(inv, 5);
    if (rights > VESPER_RIGHTS_ALL)
        return result_invalid_argument(5);
    if (!cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap cap;
    if (!cap_derive(src->cap, (unsigned)rights, &cap))
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (mint && (r = apply_data(inv, 6, false, &cap)).error != VESPER_OK)
        return r;
    invoke_cnode_copy(src, dest, cap);
    return result_ok();
}

/* Move(dest index, dest depth, src root, src index, src depth) and
 * Mutate(..., data). */
static struct syscall_result decode_move(const struct invocation *inv, bool mutate)
{
    struct cte *dest = NULL, *src = NULL;
    struct syscall_result r = find_target_and_source(inv, mutate ? 6u : 5u, &dest, &src);
    if (r.error != VESPER_OK)
        return r;
    if (!cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap cap = src->cap;
    if (mutate && (r = apply_data(inv, 5, true, &cap)).error != VESPER_OK)
        return r;
    cdt_move(src, dest, cap);
    return result_ok();
}

static void invoke_cnode_rotate(struct cte *dest, struct cte *pivot, struct cte *src,
                                struct cap new_pivot, struct cap new_src)
{
    if (dest == src) {
        cdt_swap(src, pivot, new_pivot, new_src);
    } else {
        cdt_move(pivot, dest, new_pivot);
        cdt_move(src, pivot, new_src);
    }
}

/* Rotate(dest index, dest depth, pivot root, pivot index, pivot depth,
 * pivot data, src root, src index, src depth, src data): the pivot's
 * capability goes to dest and the source's to the pivot. */
static struct syscall_result decode_rotate(const struct invocation *inv)
{
    struct cte *dest = NULL, *pivot = NULL, *src = NULL;
    struct syscall_result r = find_target(inv, 10, &dest);
    if (r.error == VESPER_OK)
        r = find_source(inv, 2, 2, &pivot);
    if (r.error == VESPER_OK)
        r = find_source(inv, 6, 1, &src);
    if (r.error != VESPER_OK)
        return r;
    if (pivot == src || pivot == dest)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (dest != src && !cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap new_pivot = pivot->cap;
    struct cap new_src = src->cap;
    r = apply_data(inv, 5, true, &new_pivot);
    if (r.error == VESPER_OK)
        r = apply_data(inv, 9, true, &new_src);
    if (r.error != VESPER_OK)
        return r;
    invoke_cnode_rotate(dest, pivot, src, new_pivot, new_src);
    return result_ok();
}

/* Delete(index, depth) and Revoke(index, depth). An empty slot is fine. */
static struct syscall_result decode_delete(const struct invocation *inv, bool revoke)
{
    struct cte *target = NULL;
    struct syscall_result r = find_target(inv, 2, &target);
    if (r.error != VESPER_OK)
        return r;
    if (revoke)
        cap_revoke(target);
    else
        cap_delete(target);
    return result_ok();
}

/* CancelBadgedSends(index, depth): every sender queued on the endpoint
 * with this capability's badge gets VESPER_ERR_CANCELLED. The capability
 * must be a badged Endpoint. */
static struct syscall_result decode_cancel_badged_sends(const struct invocation *inv)
{
    struct cte *target = NULL;
    struct syscall_result r = find_target(inv, 2, &target);
    if (r.error != VESPER_OK)
        return r;
    struct cap cap = target->cap;
    if (cap_type(cap) != CAP_ENDPOINT || cap_badge(cap) == 0)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    endpoint_cancel_badged(object_of(cap), cap_badge(cap));
    return result_ok();
}

struct syscall_result decode_cnode_invocation(const struct invocation *inv)
{
    switch (inv->label) {
    case VESPER_CNODE_CANCEL_BADGED_SENDS: return decode_cancel_badged_sends(inv);
    case VESPER_CNODE_COPY: return decode_copy(inv, false);
    case VESPER_CNODE_MINT: return decode_copy(inv, true);
    case VESPER_CNODE_MOVE: return decode_move(inv, false);
    case VESPER_CNODE_MUTATE: return decode_move(inv, true);
    case VESPER_CNODE_ROTATE: return decode_rotate(inv);
    case VESPER_CNODE_DELETE: return decode_delete(inv, false);
    case VESPER_CNODE_REVOKE: return decode_delete(inv, true);
    default: return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    }
}
