/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The fuzzers' capability operations (see world.h): Retype, Copy, Mint,
 * Move, Mutate, Rotate, Delete, Revoke, CancelBadgedSends, lookups through
 * arbitrary guards and depths, and the debug Identify syscall.
 */
#include <vesper/object.h>

#include "cspace.h"
#include "world.h"

#define ROOT WORLD_ROOT

/* A slot to name relative to a CNode: the invoked CNode, the index and
 * the depth. Mostly a root slot at depth 64; sometimes a slot of another
 * CNode at its own depth (radix and guard), one two levels down, or one at
 * an arbitrary depth. */
struct relative_slot {
    vesper_word cnode, index, depth;
};

/* The bits a CNode capability takes from an address: its guard, then the
 * index of a slot. */
static vesper_word level_bits(struct cap node, vesper_word slot)
{
    return cnode_guard(node) << cnode_radix(node) | slot;
}

/* Make r name a slot of a CNode held in a slot of `outer`, through both
 * levels; false when outer holds no CNode or the two take more than 64
 * bits. */
static bool two_levels(struct world *w, struct cap outer, struct relative_slot *r)
{
    if (cap_type(outer) != CAP_CNODE)
        return false;
    unsigned count = 1u << cnode_radix(outer), start = fuzz_byte(&w->in) % count;
    const struct cte *slots = cnode_slots(outer);
    for (unsigned k = 0; k < count; k++) {
        unsigned i = (start + k) % count;
        struct cap inner = slots[i].cap;
        unsigned outer_bits = cnode_guard_size(outer) + cnode_radix(outer);
        unsigned inner_bits = cnode_guard_size(inner) + cnode_radix(inner);
        if (cap_type(inner) != CAP_CNODE || outer_bits + inner_bits > 64)
            continue;
        vesper_word slot = fuzz_byte(&w->in) % (1u << cnode_radix(inner));
        r->index = level_bits(outer, i) << inner_bits | level_bits(inner, slot);
        r->depth = outer_bits + inner_bits;
        return true;
    }
    return false;
}

static struct relative_slot relative_slot(struct world *w, enum cap_type type)
{
    uint8_t b = fuzz_byte(&w->in);
    if (b < 192) {
        vesper_word index = world_pick(w, type);
        return (struct relative_slot){ROOT, index, world_depth(w)};
    }
    struct relative_slot r = {.cnode = world_pick(w, CAP_CNODE)};
    r.index = fuzz_u16(&w->in);
    struct cap cap = world_cap_at(w, r.cnode);
    if (b < 208 && two_levels(w, cap, &r))
        return r;
    r.depth = cnode_radix(cap) + cnode_guard_size(cap);
    if (b >= 244 || r.depth == 0 || r.depth > 64)
        r.depth = fuzz_byte(&w->in) % 70;
    return r;
}

/* The CNode a source is looked up from: the root, or rarely anything. */
static vesper_word source_root(struct world *w)
{
    uint8_t b = fuzz_byte(&w->in);
    if (b < 236)
        return ROOT;
    return b < 248 ? world_any_cap(w) : fuzz_u64(&w->in);
}

/* Retype(type, size bits, dest root, node index, node depth, offset,
 * count): the objects go to root slots, or into another CNode found at a
 * non-zero node depth. Sizes and counts stray out of range now and then. */
static void op_retype(struct world *w)
{
    vesper_word type = fuzz_byte(&w->in) % 12; /* 0 and 11 are not retypable */
    uint8_t b = fuzz_byte(&w->in);
    vesper_word bits = type == VESPER_OBJECT_UNTYPED ? 4 + b % 12 : 1 + b % 6;
    if (b >= 240)
        bits = b % 64; /* often outside the type's range */
    vesper_word root = ROOT, node_index = 0, node_depth = 0;
    vesper_word offset = world_pick(w, CAP_NULL);
    vesper_word count = 1 + fuzz_byte(&w->in) % 4;
    uint8_t where = fuzz_byte(&w->in);
    if (where >= 192) {
        node_index = world_pick(w, CAP_CNODE); /* into that CNode */
        node_depth = where >= 250 ? fuzz_byte(&w->in) % 70 : 64;
        offset = fuzz_byte(&w->in) % 16;
    } else if (where >= 184) {
        root = world_any_cap(w); /* a root that is no CNode, or is one */
    } else if (where >= 176) {
        count = where & 1 ? 0 : VESPER_RETYPE_FANOUT_MAX + 1;
    }
    world_invoke(w, world_pick(w, CAP_UNTYPED),
                 vesper_untyped_retype_msg(type, bits, root, node_index, node_depth, offset, count),
                 NULL);
}

/* Copy(dest index, dest depth, src root, src index, src depth, rights) and
 * Mint(..., rights, badge or guard). */
static void copy_or_mint(struct world *w, bool mint)
{
    struct relative_slot dest = relative_slot(w, CAP_NULL);
    vesper_word src_root = source_root(w);
    vesper_word src_index = world_any_cap(w);
    vesper_word src_depth = world_depth(w);
    vesper_word rights = fuzz_byte(&w->in) & 0x1f; /* sometimes past the four there are */
    vesper_word data = fuzz_byte(&w->in);          /* taken for Copy too */
    if (mint && (data & 0x80)) {
        /* A guard: mostly one that keeps a CPtr inside 64 bits. */
        uint8_t size = fuzz_byte(&w->in);
        data = vesper_cnode_guard(fuzz_byte(&w->in) & 3, size < 128 ? 54 - size % 12 : size % 66);
    }
    struct vesper_invocation_msg msg =
        mint ? vesper_cnode_mint_msg(dest.index, dest.depth, src_root, src_index, src_depth,
                                     rights, data)
             : vesper_cnode_copy_msg(dest.index, dest.depth, src_root, src_index, src_depth,
                                     rights);
    world_invoke(w, dest.cnode, msg, NULL);
}

static void op_copy(struct world *w)
{
    copy_or_mint(w, false);
}

static void op_mint(struct world *w)
{
    copy_or_mint(w, true);
}

/* Move(dest index, dest depth, src root, src index, src depth) and
 * Mutate(..., guard). */
static void move_or_mutate(struct world *w, bool mutate)
{
    struct relative_slot dest = relative_slot(w, CAP_NULL);
    uint8_t size = fuzz_byte(&w->in);
    vesper_word src_root = source_root(w);
    vesper_word src_index = world_any_cap(w);
    vesper_word src_depth = world_depth(w);
    vesper_word data = vesper_cnode_guard(size >> 6, size % 66);
    struct vesper_invocation_msg msg =
        mutate ? vesper_cnode_mutate_msg(dest.index, dest.depth, src_root, src_index, src_depth,
                                         data)
               : vesper_cnode_move_msg(dest.index, dest.depth, src_root, src_index, src_depth);
    world_invoke(w, dest.cnode, msg, NULL);
}

static void op_move(struct world *w)
{
    move_or_mutate(w, false);
}

static void op_mutate(struct world *w)
{
    move_or_mutate(w, true);
}

/* Rotate: the pivot's capability to dest, the source's to the pivot; dest
 * may be the source (a swap) or, rarely, the pivot. */
static void op_rotate(struct world *w)
{
    vesper_word src = world_any_cap(w);
    vesper_word pivot = world_any_cap(w);
    uint8_t b = fuzz_byte(&w->in);
    vesper_word dest = b & 1 ? src : (b & 2 ? world_pick(w, CAP_NULL) : pivot);
    vesper_word pivot_data = fuzz_byte(&w->in);
    vesper_word src_data = fuzz_byte(&w->in);
    world_invoke(w, ROOT,
                 vesper_cnode_rotate_msg(dest, 64, ROOT, pivot, 64, pivot_data, ROOT, src, 64,
                                         src_data),
                 NULL);
}

/* Delete, Revoke and CancelBadgedSends take (index, depth): `build` is
 * the operation's message builder. */
static void target_op(struct world *w,
                      struct vesper_invocation_msg (*build)(vesper_word index, vesper_word depth))
{
    struct relative_slot target = relative_slot(w, CAP_NULL);
    vesper_word index = target.cnode == ROOT ? world_any_cap(w) : target.index;
    world_invoke(w, target.cnode, build(index, target.depth), NULL);
}

static void op_delete(struct world *w)
{
    target_op(w, vesper_cnode_delete_msg);
}

static void op_revoke(struct world *w)
{
    target_op(w, vesper_cnode_revoke_msg);
}

static void op_cancel_badged_sends(struct world *w)
{
    target_op(w, vesper_cnode_cancel_badged_sends_msg);
}

/* A Copy through a CNode at a raw address and depth: lookups through
 * arbitrary guards and levels. */
static void op_raw_lookup(struct world *w)
{
    vesper_word dest_index = fuzz_u64(&w->in);
    vesper_word dest_depth = fuzz_byte(&w->in) % 70;
    vesper_word src_root = fuzz_u64(&w->in) % WORLD_SLOTS;
    vesper_word src_index = fuzz_u64(&w->in);
    vesper_word src_depth = fuzz_byte(&w->in) % 70;
    world_invoke(w, world_pick(w, CAP_CNODE),
                 vesper_cnode_copy_msg(dest_index, dest_depth, src_root, src_index, src_depth,
                                       VESPER_RIGHTS_ALL),
                 NULL);
}

/* DebugIdentify(cptr): what a capability is. */
static void op_identify(struct world *w)
{
    vesper_word args[VESPER_SYSCALL_ARGS] = {world_any_cap(w)};
    if (fuzz_byte(&w->in) >= 240)
        args[0] = fuzz_u64(&w->in);
    world_syscall(VESPER_SYS_DEBUG_IDENTIFY, args);
}

static world_op *const cap_ops[] = {
    op_retype, op_retype, op_copy,   op_mint,       op_move,
    op_mutate, op_rotate, op_delete, op_delete,     op_revoke,
    op_revoke, op_cancel_badged_sends, op_raw_lookup, op_identify,
};

void world_cap_op(struct world *w, uint8_t op)
{
    cap_ops[op % (sizeof cap_ops / sizeof cap_ops[0])](w);
}
