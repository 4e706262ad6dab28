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

/* Where the words are: VESPER_CNODE_<OPERATION>_WORD_* (abi/invocations.py).
 * Copy and Mint share a decoder, as do Move and Mutate, and every operation
 * finds its target with find_target() and its other slots with
 * find_source(), which read a target's words where Copy has them and a
 * slot's (root, index, depth) in a row. These say that the description
 * still places the words so. */
#define SAME_WORD(a, b)                                                                   \
    _Static_assert((int)VESPER_CNODE_##a == (int)VESPER_CNODE_##b, #a " is not " #b)
#define WORDS_IN_A_ROW(op, slot)                                                          \
    _Static_assert(VESPER_CNODE_##op##_WORD_##slot##_ROOT + 1 ==                        \
                           VESPER_CNODE_##op##_WORD_##slot##_INDEX &&                   \
                       VESPER_CNODE_##op##_WORD_##slot##_INDEX + 1 ==                   \
                           VESPER_CNODE_##op##_WORD_##slot##_DEPTH,                     \
                   #op "'s " #slot " words are not in a row")
#define TARGET_INDEX_WORD VESPER_CNODE_COPY_WORD_DEST_INDEX
#define TARGET_DEPTH_WORD VESPER_CNODE_COPY_WORD_DEST_DEPTH
#define SAME_TARGET(op)                                                                   \
    SAME_WORD(op##_WORD_DEST_INDEX, COPY_WORD_DEST_INDEX);                                \
    SAME_WORD(op##_WORD_DEST_DEPTH, COPY_WORD_DEST_DEPTH)
#define SAME_SOURCE(op)                                                                   \
    SAME_WORD(op##_WORD_SRC_ROOT, COPY_WORD_SRC_ROOT);                                    \
    SAME_WORD(op##_WORD_SRC_INDEX, COPY_WORD_SRC_INDEX);                                  \
    SAME_WORD(op##_WORD_SRC_DEPTH, COPY_WORD_SRC_DEPTH)
WORDS_IN_A_ROW(COPY, SRC);
SAME_TARGET(MINT);
SAME_SOURCE(MINT);
SAME_WORD(MINT_WORD_RIGHTS, COPY_WORD_RIGHTS);
SAME_TARGET(MOVE);
SAME_SOURCE(MOVE);
SAME_TARGET(MUTATE);
SAME_SOURCE(MUTATE);
SAME_TARGET(ROTATE);
WORDS_IN_A_ROW(ROTATE, PIVOT);
WORDS_IN_A_ROW(ROTATE, SRC);
SAME_WORD(DELETE_WORD_INDEX, COPY_WORD_DEST_INDEX);
SAME_WORD(DELETE_WORD_DEPTH, COPY_WORD_DEST_DEPTH);
SAME_WORD(REVOKE_WORD_INDEX, COPY_WORD_DEST_INDEX);
SAME_WORD(REVOKE_WORD_DEPTH, COPY_WORD_DEST_DEPTH);
SAME_WORD(CANCEL_BADGED_SENDS_WORD_INDEX, COPY_WORD_DEST_INDEX);
SAME_WORD(CANCEL_BADGED_SENDS_WORD_DEPTH, COPY_WORD_DEST_DEPTH);

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

/* The destination slot, relative to the invoked CNode, of a
 * message that must have at least `length` words. *slot is set only with
 * VESPER_OK, and the callers read it only then, but they start from NULL:
 * gcc cannot see into invoke.c that no error path here returns VESPER_OK
 * and at -O3 would warn that the slot may be read unset. */
static struct syscall_result find_target(const struct invocation *inv, unsigned length,
                                         struct cte **slot)
{
    if (inv->length < length)
        return result_error(VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word depth = invocation_arg(inv, TARGET_DEPTH_WORD);
    if (depth < 1 || depth > 64)
        return result_range(1, 64);
    vesper_word index = invocation_arg(inv, TARGET_INDEX_WORD);
    struct lookup found = cspace_lookup_slot(inv->slot->cap, index, (unsigned)depth);
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
    /* A container whose deletion stopped half way: only a Delete goes on
     * with it; it stays where the deletion keeps track of it. */
    if (r.error == VESPER_OK && cap_type((*slot)->cap) == CAP_ZOMBIE)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    return r;
}

/* A message of at least `length` words naming the destination and a
 * non-empty source: Copy, Mint, Move and Mutate. */
static struct syscall_result find_target_and_source(const struct invocation *inv,
                                                    unsigned length, struct cte **dest,
                                                    struct cte **src)
{
    struct syscall_result r = find_target(inv, length, dest);
    if (r.error == VESPER_OK)
        r = find_source(inv, VESPER_CNODE_COPY_WORD_SRC_ROOT, 1, src);
    return r;
}

static void invoke_cnode_copy(struct cte *src, struct cte *dest, struct cap cap)
{
    cdt_insert_child(src, dest, cap);
}

/* Copy, and Mint, which applies a data word too. */
static struct syscall_result decode_copy(const struct invocation *inv, bool mint)
{
    struct cte *dest = NULL, *src = NULL;
    struct syscall_result r = find_target_and_source(
        inv, mint ? VESPER_CNODE_MINT_LENGTH : VESPER_CNODE_COPY_LENGTH, &dest, &src);
    if (r.error != VESPER_OK)
        return r;
    vesper_word rights = invocation_arg(inv, VESPER_CNODE_COPY_WORD_RIGHTS);
    if (rights > VESPER_RIGHTS_ALL)
        return result_invalid_argument(VESPER_CNODE_COPY_WORD_RIGHTS);
    if (!cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap cap;
    if (!cap_derive(src->cap, (unsigned)rights, &cap))
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (mint && (r = apply_data(inv, VESPER_CNODE_MINT_WORD_DATA, false, &cap)).error != VESPER_OK)
        return r;
    invoke_cnode_copy(src, dest, cap);
    return result_ok();
}

/* Move, and Mutate, which applies a data word too. */
static struct syscall_result decode_move(const struct invocation *inv, bool mutate)
{
    struct cte *dest = NULL, *src = NULL;
    struct syscall_result r = find_target_and_source(
        inv, mutate ? VESPER_CNODE_MUTATE_LENGTH : VESPER_CNODE_MOVE_LENGTH, &dest, &src);
    if (r.error != VESPER_OK)
        return r;
    if (!cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap cap = src->cap;
    if (mutate && (r = apply_data(inv, VESPER_CNODE_MUTATE_WORD_DATA, true, &cap)).error != VESPER_OK)
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

/* Rotate: the pivot's capability goes to the destination and the
 * source's to the pivot, each with its data word applied. */
static struct syscall_result decode_rotate(const struct invocation *inv)
{
    struct cte *dest = NULL, *pivot = NULL, *src = NULL;
    struct syscall_result r = find_target(inv, VESPER_CNODE_ROTATE_LENGTH, &dest);
    if (r.error == VESPER_OK)
        r = find_source(inv, VESPER_CNODE_ROTATE_WORD_PIVOT_ROOT, 2, &pivot);
    if (r.error == VESPER_OK)
        r = find_source(inv, VESPER_CNODE_ROTATE_WORD_SRC_ROOT, 1, &src);
    if (r.error != VESPER_OK)
        return r;
    if (pivot == src || pivot == dest)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (dest != src && !cap_is_null(dest->cap))
        return result_error(VESPER_ERR_DELETE_FIRST);
    struct cap new_pivot = pivot->cap;
    struct cap new_src = src->cap;
    r = apply_data(inv, VESPER_CNODE_ROTATE_WORD_PIVOT_DATA, true, &new_pivot);
    if (r.error == VESPER_OK)
        r = apply_data(inv, VESPER_CNODE_ROTATE_WORD_SRC_DATA, true, &new_src);
    if (r.error != VESPER_OK)
        return r;
    invoke_cnode_rotate(dest, pivot, src, new_pivot, new_src);
    return result_ok();
}

/* Delete and Revoke. An empty slot is fine. */
static struct syscall_result decode_delete(const struct invocation *inv, bool revoke)
{
    struct cte *target = NULL;
    struct syscall_result r = find_target(
        inv, revoke ? VESPER_CNODE_REVOKE_LENGTH : VESPER_CNODE_DELETE_LENGTH, &target);
    if (r.error != VESPER_OK)
        return r;
    bool finished = revoke ? cap_revoke(target) : cap_delete_preemptible(target);
    if (!finished)
        return result_restart(); /* the rest at the next attempt */
    return result_ok();
}

/* CancelBadgedSends: every sender queued on the endpoint
 * with this capability's badge gets VESPER_ERR_CANCELLED. The capability
 * must be a badged Endpoint. */
static struct syscall_result decode_cancel_badged_sends(const struct invocation *inv)
{
    struct cte *target = NULL;
    struct syscall_result r = find_target(inv, VESPER_CNODE_CANCEL_BADGED_SENDS_LENGTH, &target);
    if (r.error != VESPER_OK)
        return r;
    struct cap cap = target->cap;
    if (cap_type(cap) != CAP_ENDPOINT || cap_badge(cap) == 0)
        return result_error(VESPER_ERR_ILLEGAL_OPERATION);
    if (!endpoint_cancel_badged(inv->caller, object_of(cap), cap_badge(cap)))
        return result_restart(); /* the rest of the queue at the next attempt */
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
