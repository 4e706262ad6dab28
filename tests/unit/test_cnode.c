/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * CNode invocations: Copy, Mint, Move, Mutate, Rotate, Delete and Revoke.
 * For each, its success and every error its decoder can return, with the
 * error's detail words; and the derivation tree they keep: copies are
 * children, rights only shrink, a badge is set once, revocation follows
 * seL4's rules for badged endpoints, moves keep children, and deleting the
 * last capability to an object (even a CNode holding CNodes, or itself)
 * destroys it.
 */
#include <stdbool.h>

#include <libos/bootinfo.h>

#include "cap.h"
#include "cdt.h"
#include "cspace.h"
#include "objects.h"
#include "state.h"
#include "support.h"

#define ROOT VESPER_ROOT_SLOT_CNODE
#define PDOM VESPER_ROOT_SLOT_PDOM
#define RW (VESPER_RIGHT_READ | VESPER_RIGHT_WRITE)

/* ---- making objects, invoking the root CNode, checking results ---- */

static vesper_word free_slot(unsigned n)
{
    return test_first_empty() + n;
}

static struct cte *slot(vesper_word index)
{
    return test_root_slot(index);
}

static vesper_word first_untyped(void)
{
    return test_bootinfo()->untyped_first;
}

/* The largest RAM Untyped: the first is too small for frames. */
static vesper_word large_untyped(void)
{
    const struct vesper_bootinfo *info = test_bootinfo();
    return info->untyped_first + vesper_largest_ram_untyped(info);
}

/* Retype `count` objects from the Untyped at `untyped` into the CNode at
 * node_index/node_depth under cnode_cptr (depth 0: that CNode itself). */
static void retype(vesper_word untyped, vesper_word type, vesper_word size_bits,
                   vesper_word cnode_cptr, vesper_word node_index, vesper_word node_depth,
                   vesper_word offset, vesper_word count)
{
    assert_int_equal(TEST_CALL(untyped, untyped_retype, type, size_bits, cnode_cptr,
                               node_index, node_depth, offset, count),
                     VESPER_OK);
}

static vesper_word make_object(vesper_word type, vesper_word size_bits, vesper_word dest)
{
    retype(first_untyped(), type, size_bits, ROOT, 0, 0, dest, 1);
    return dest;
}

static vesper_word make_endpoint(vesper_word dest)
{
    return make_object(VESPER_OBJECT_ENDPOINT, 0, dest);
}

static vesper_word make_cnode(vesper_word dest, unsigned radix)
{
    return make_object(VESPER_OBJECT_CNODE, radix, dest);
}

/* `count` 4 KiB frames from the large Untyped, from root slot dest on. */
static void make_frames(vesper_word dest, vesper_word count)
{
    retype(large_untyped(), VESPER_OBJECT_FRAME_4K, 0, ROOT, 0, 0, dest, count);
}

/* A copy of the root CNode capability without a guard: through it, 10 bits
 * name a root slot, and slot s of a CNode of radix r at root slot n is
 * (n << r | s) at depth 10 + r. */
static vesper_word make_flat_root(vesper_word dest)
{
    assert_int_equal(TEST_CALL(ROOT, cnode_mint, dest, 64, ROOT, ROOT, 64,
                               VESPER_RIGHTS_ALL, vesper_cnode_guard(0, 0)),
                     VESPER_OK);
    return dest;
}

static enum vesper_error copy(vesper_word dest, vesper_word src, vesper_word rights)
{
    return TEST_CALL(ROOT, cnode_copy, dest, 64, ROOT, src, 64, rights);
}

static enum vesper_error mint(vesper_word dest, vesper_word src, vesper_word rights,
                              vesper_word data)
{
    return TEST_CALL(ROOT, cnode_mint, dest, 64, ROOT, src, 64, rights, data);
}

static enum vesper_error move(vesper_word dest, vesper_word src)
{
    return TEST_CALL(ROOT, cnode_move, dest, 64, ROOT, src, 64);
}

static enum vesper_error mutate(vesper_word dest, vesper_word src, vesper_word data)
{
    return TEST_CALL(ROOT, cnode_mutate, dest, 64, ROOT, src, 64, data);
}

static enum vesper_error rotate(vesper_word dest, vesper_word pivot, vesper_word pivot_data,
                                vesper_word src, vesper_word src_data)
{
    return TEST_CALL(ROOT, cnode_rotate, dest, 64, ROOT, pivot, 64, pivot_data, ROOT,
                     src, 64, src_data);
}

static enum vesper_error delete_slot(vesper_word target)
{
    return TEST_CALL(ROOT, cnode_delete, target, 64);
}

static enum vesper_error revoke_slot(vesper_word target)
{
    return TEST_CALL(ROOT, cnode_revoke, target, 64);
}

static bool same_cap(struct cap a, struct cap b)
{
    return a.word0 == b.word0 && a.word1 == b.word1;
}

static bool is_empty(vesper_word index)
{
    return cap_is_null(slot(index)->cap);
}

/* The type recorded in the header of the object cap names: 0 once it has
 * been destroyed. */
static uint32_t header_type(struct cap cap)
{
    struct object_header *header = object_header_of(cap);
    assert_non_null(header);
    return header->type;
}

static size_t list_length(void)
{
    size_t n = 0;
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s))
        n++;
    return n;
}

static bool on_list(const struct cte *wanted)
{
    for (const struct cte *s = cdt_next(&kernel.cdt_head); s != NULL; s = cdt_next(s))
        if (s == wanted)
            return true;
    return false;
}

static void assert_all_slots_empty(struct cap cnode)
{
    const struct cte *slots = cnode_slots(cnode);
    for (size_t i = 0; i < ((size_t)1 << cnode_radix(cnode)); i++) {
        assert_true(cap_is_null(slots[i].cap));
        assert_false(on_list(&slots[i]));
    }
}

static void assert_invalid_argument(const struct vesper_syscall_frame *frame, vesper_word index)
{
    assert_int_equal(frame->arg[0], VESPER_ERR_INVALID_ARGUMENT);
    assert_int_equal(frame->arg[1], index);
}

/* Invoke the root CNode with operation `op` (as TEST_CALL) and its words;
 * the frame gets the results. */
#define ROOT_CALL(frame, op, ...) test_invoke_msg((frame), ROOT, vesper_##op##_msg(__VA_ARGS__))

/* Every message shorter than the full, valid `msg` is truncated and
 * changes nothing. */
static void assert_truncated_below(struct vesper_invocation_msg msg)
{
    size_t before = list_length();
    for (unsigned count = 0; count < msg.length; count++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(test_invoke(&frame, ROOT, msg.label, count, msg.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
        assert_int_equal(list_length(), before);
    }
}

/* ---- Copy --------------------------------------------------------------- */

static void CNODE0001_copy_makes_a_child(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), b = free_slot(1);
    assert_int_equal(copy(b, a, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_true(same_cap(slot(b)->cap, slot(a)->cap));
    assert_ptr_equal(cdt_next(slot(a)), slot(b));
    assert_true(cdt_is_parent_of(slot(a), slot(b)));
    assert_false(cdt_is_revocable(slot(b)));
    assert_false(cdt_is_final(slot(a)));
    /* Capabilities the kernel made at boot copy too. */
    vesper_word c = free_slot(2), d = free_slot(3);
    assert_int_equal(copy(c, ROOT, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_true(cap_same_object(slot(c)->cap, slot(ROOT)->cap));
    assert_int_equal(copy(d, VESPER_ROOT_SLOT_SCHED_CONTROL, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(cap_type(slot(d)->cap), CAP_SCHED_CONTROL);
    assert_true(cdt_is_parent_of(slot(VESPER_ROOT_SLOT_SCHED_CONTROL), slot(d)));
    assert_invariants();
}

static void CNODE0002_copy_rights_only_shrink(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    vesper_word b = free_slot(1), c = free_slot(2), d = free_slot(3), e = free_slot(4);
    assert_int_equal(copy(b, a, RW), VESPER_OK);
    assert_int_equal(cap_rights(slot(b)->cap), RW);
    /* All rights asked of a copy with fewer gives only what it has. */
    assert_int_equal(copy(c, b, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(cap_rights(slot(c)->cap), RW);
    assert_int_equal(copy(d, c, VESPER_RIGHT_READ | VESPER_RIGHT_GRANT), VESPER_OK);
    assert_int_equal(cap_rights(slot(d)->cap), VESPER_RIGHT_READ);
    assert_int_equal(copy(e, a, 0), VESPER_OK);
    assert_int_equal(cap_rights(slot(e)->cap), 0);
    assert_int_equal(cap_rights(slot(a)->cap), VESPER_RIGHTS_ALL);
    /* The read-only bootinfo frame stays read-only. */
    vesper_word f = free_slot(5);
    assert_int_equal(copy(f, VESPER_ROOT_SLOT_BOOTINFO, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(cap_rights(slot(f)->cap), VESPER_RIGHT_READ);
    assert_invariants();
}

static void CNODE0003_copy_truncated_message(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    assert_truncated_below(vesper_cnode_copy_msg(free_slot(1), 64, ROOT, a, 64, VESPER_RIGHTS_ALL));
    assert_true(is_empty(free_slot(1)));
    assert_invariants();
}

static void CNODE0004_copy_destination_depth_out_of_range(void **state)
{
    (void)state;
    static const vesper_word depths[] = {0, 65, UINT64_MAX, (vesper_word)1 << 32 | 64};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_copy, free_slot(0), depths[i], ROOT,
                                   PDOM, 64, VESPER_RIGHTS_ALL),
                         VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
    }
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

static void CNODE0005_copy_source_depth_out_of_range(void **state)
{
    (void)state;
    /* Including a depth whose low 32 bits alone would be fine. */
    static const vesper_word depths[] = {0, 65, UINT64_MAX, (vesper_word)1 << 32 | 64};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_copy, free_slot(0), 64, ROOT, PDOM,
                                   depths[i], VESPER_RIGHTS_ALL),
                         VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
    }
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

static void CNODE0006_copy_destination_lookup_fails(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, (vesper_word)1 << 30 | free_slot(0), 64,
                               ROOT, PDOM, 64, VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, free_slot(0), 63, ROOT, PDOM, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 63, 0);
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

static void CNODE0007_copy_source_lookup_fails(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    vesper_word dest = free_slot(0);
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, dest, 64, ROOT, free_slot(1), 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, dest, 64, PDOM, PDOM, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, dest, 64, ROOT, PDOM, 63,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 63, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_copy, dest, 64, ROOT, PDOM | 1u << 20, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    assert_true(is_empty(dest));
    assert_invariants();
}

static void CNODE0008_copy_rights_above_0xf_are_invalid(void **state)
{
    (void)state;
    static const vesper_word rights[] = {0x10, 0x1f, UINT64_MAX};
    for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_copy, free_slot(0), 64, ROOT, PDOM, 64,
                                   rights[i]),
                         VESPER_ERR_INVALID_ARGUMENT);
        assert_invalid_argument(&frame, 5);
    }
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

static void CNODE0009_copy_into_full_slot(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    struct cap pdom = slot(PDOM)->cap;
    assert_int_equal(copy(PDOM, a, VESPER_RIGHTS_ALL), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(copy(a, a, VESPER_RIGHTS_ALL), VESPER_ERR_DELETE_FIRST);
    assert_true(same_cap(slot(PDOM)->cap, pdom));
    assert_false(cdt_has_children(slot(a)));
    assert_invariants();
}

/* Untyped (its watermark would go wrong), Reply (one-shot) and IRQControl
 * (unique) are never copied. */
static void CNODE0010_copy_of_underivable_capability_is_illegal(void **state)
{
    (void)state;
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0, free_slot(0));
    const vesper_word sources[] = {first_untyped(), reply, VESPER_ROOT_SLOT_IRQ_CONTROL};
    size_t before = list_length();
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        assert_int_equal(copy(free_slot(1), sources[i], VESPER_RIGHTS_ALL),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_int_equal(mint(free_slot(1), sources[i], VESPER_RIGHTS_ALL, 5),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_true(is_empty(free_slot(1)));
    }
    assert_int_equal(list_length(), before);
    assert_invariants();
}

/* ---- Mint --------------------------------------------------------------- */

static void CNODE0011_mint_badges_an_endpoint_once(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), m = free_slot(1);
    assert_int_equal(mint(m, a, RW, 42), VESPER_OK);
    struct cap minted = slot(m)->cap;
    assert_int_equal(cap_badge(minted), 42);
    assert_int_equal(cap_rights(minted), RW);
    assert_true(cap_same_object(minted, slot(a)->cap));
    assert_int_equal(cap_badge(slot(a)->cap), 0);
    /* A newly badged capability is a revocable child of its original. */
    assert_true(cdt_is_parent_of(slot(a), slot(m)));
    assert_true(cdt_is_revocable(slot(m)));
    assert_true(cdt_is_first_badged(slot(m)));
    /* Its badge is never changed again, not even to itself or to 0. */
    static const vesper_word badges[] = {7, 42, 0};
    for (size_t i = 0; i < sizeof badges / sizeof badges[0]; i++) {
        assert_int_equal(mint(free_slot(2), m, VESPER_RIGHTS_ALL, badges[i]),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_true(is_empty(free_slot(2)));
    }
    /* A plain copy of it keeps the badge. */
    assert_int_equal(copy(free_slot(2), m, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(cap_badge(slot(free_slot(2))->cap), 42);
    assert_int_equal(cap_rights(slot(free_slot(2))->cap), RW);
    assert_invariants();
}

static void CNODE0012_mint_badges_a_notification(void **state)
{
    (void)state;
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0, free_slot(0));
    assert_int_equal(mint(free_slot(1), n, VESPER_RIGHT_WRITE, 0x8000000000000001u), VESPER_OK);
    assert_int_equal(cap_badge(slot(free_slot(1))->cap), 0x8000000000000001u);
    assert_int_equal(cap_rights(slot(free_slot(1))->cap), VESPER_RIGHT_WRITE);
    assert_true(cdt_is_parent_of(slot(n), slot(free_slot(1))));
    assert_int_equal(mint(free_slot(2), free_slot(1), VESPER_RIGHT_WRITE, 3),
                     VESPER_ERR_ILLEGAL_OPERATION);
    /* Mint with badge 0 of an unbadged capability is a plain copy. */
    assert_int_equal(mint(free_slot(2), n, VESPER_RIGHTS_ALL, 0), VESPER_OK);
    assert_int_equal(cap_badge(slot(free_slot(2))->cap), 0);
    assert_false(cdt_is_revocable(slot(free_slot(2))));
    assert_invariants();
}

static void CNODE0013_mint_sets_a_cnode_guard(void **state)
{
    (void)state;
    vesper_word g = free_slot(0);
    assert_int_equal(mint(g, ROOT, VESPER_RIGHTS_ALL, vesper_cnode_guard(0x2a, 6)), VESPER_OK);
    struct cap cap = slot(g)->cap;
    assert_int_equal(cnode_guard_size(cap), 6);
    assert_int_equal(cnode_guard(cap), 0x2a);
    assert_true(cap_same_object(cap, slot(ROOT)->cap));
    /* The guard is what a lookup through the new capability must match. */
    struct lookup r = cspace_lookup_slot(cap, 0x2au << 10 | PDOM, 16);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, slot(PDOM));
    /* Through it the invoked CNode addresses slots with 16 bits. */
    vesper_word dest = free_slot(1);
    assert_int_equal(TEST_CALL(g, cnode_copy, 0x2au << 10 | dest, 16, ROOT, PDOM, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(cap_type(slot(dest)->cap), CAP_PDOM);
    /* Types without data ignore it. */
    assert_int_equal(mint(free_slot(2), PDOM, VESPER_RIGHTS_ALL, 0x1234), VESPER_OK);
    assert_true(same_cap(slot(free_slot(2))->cap, slot(PDOM)->cap));
    assert_invariants();
}

static void CNODE0014_mint_bad_cnode_guard_is_invalid(void **state)
{
    (void)state;
    static const vesper_word data[] = {
        55,                         /* 55 guard bits + radix 10 > 64 */
        63,
        4u << 6 | 2,                /* guard 0b100 in 2 bits */
        (vesper_word)1 << 6 | 0,    /* a guard value with no guard bits */
    };
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(0), 64, ROOT, ROOT, 64,
                                   VESPER_RIGHTS_ALL, data[i]),
                         VESPER_ERR_INVALID_ARGUMENT);
        assert_invalid_argument(&frame, 6);
        assert_true(is_empty(free_slot(0)));
    }
    /* 54 bits, as the root capability has, are fine. */
    assert_int_equal(mint(free_slot(0), ROOT, VESPER_RIGHTS_ALL, 54), VESPER_OK);
    assert_invariants();
}

static void CNODE0015_mint_truncated_message(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    assert_truncated_below(
        vesper_cnode_mint_msg(free_slot(1), 64, ROOT, a, 64, VESPER_RIGHTS_ALL, 9));
    assert_true(is_empty(free_slot(1)));
    assert_invariants();
}

static void CNODE0016_mint_rights_above_0xf_are_invalid(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    struct vesper_syscall_frame frame;
    assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(1), 64, ROOT, a, 64, 0x10, 9),
                     VESPER_ERR_INVALID_ARGUMENT);
    assert_invalid_argument(&frame, 5);
    assert_true(is_empty(free_slot(1)));
    assert_invariants();
}

static void CNODE0017_mint_slot_errors(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    struct vesper_syscall_frame frame;
    assert_int_equal(mint(PDOM, a, VESPER_RIGHTS_ALL, 9), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(1), 0, ROOT, a, 64,
                               VESPER_RIGHTS_ALL, 9),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(1), 64, ROOT, a, 65,
                               VESPER_RIGHTS_ALL, 9),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(1), 64, ROOT, free_slot(2),
                               64, VESPER_RIGHTS_ALL, 9),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_mint, free_slot(1), 62, ROOT, a, 64,
                               VESPER_RIGHTS_ALL, 9),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 62, 0);
    assert_true(is_empty(free_slot(1)));
    assert_false(cdt_has_children(slot(a)));
    assert_invariants();
}

/* ---- Move --------------------------------------------------------------- */

static void CNODE0018_move_keeps_children(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    vesper_word b = free_slot(1), m = free_slot(2), d = free_slot(3);
    assert_int_equal(copy(b, a, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(mint(m, a, VESPER_RIGHTS_ALL, 5), VESPER_OK);
    struct cap original = slot(a)->cap;
    struct cte *prev = cdt_prev(slot(a));
    assert_int_equal(move(d, a), VESPER_OK);
    assert_true(is_empty(a));
    assert_false(on_list(slot(a)));
    assert_true(same_cap(slot(d)->cap, original));
    assert_ptr_equal(cdt_prev(slot(d)), prev);
    assert_true(cdt_is_revocable(slot(d)));
    assert_true(cdt_is_parent_of(slot(d), cdt_next(slot(d))));
    assert_invariants();
    /* Its children are still its children: revoking it removes them. */
    assert_int_equal(revoke_slot(d), VESPER_OK);
    assert_true(is_empty(b));
    assert_true(is_empty(m));
    assert_int_equal(cap_type(slot(d)->cap), CAP_ENDPOINT);
    assert_invariants();
}

static void CNODE0019_moved_child_stays_a_child(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), b = free_slot(1), d = free_slot(2);
    assert_int_equal(copy(b, a, VESPER_RIGHT_READ), VESPER_OK);
    assert_int_equal(move(d, b), VESPER_OK);
    assert_true(is_empty(b));
    assert_int_equal(cap_rights(slot(d)->cap), VESPER_RIGHT_READ);
    assert_ptr_equal(cdt_next(slot(a)), slot(d));
    assert_true(cdt_is_parent_of(slot(a), slot(d)));
    assert_int_equal(revoke_slot(a), VESPER_OK);
    assert_true(is_empty(d));
    assert_invariants();
}

/* Move takes any capability, even those Copy refuses: a moved Untyped
 * keeps its objects and its watermark. */
static void CNODE0020_move_untyped_keeps_its_objects(void **state)
{
    (void)state;
    vesper_word u = first_untyped(), d = free_slot(0);
    vesper_word e = make_endpoint(free_slot(1));
    struct cap endpoint = slot(e)->cap;
    assert_int_equal(move(d, u), VESPER_OK);
    assert_true(is_empty(u));
    assert_int_equal(cap_type(slot(d)->cap), CAP_UNTYPED);
    assert_true(cdt_is_parent_of(slot(d), slot(e)));
    retype(d, VESPER_OBJECT_ENDPOINT, 0, ROOT, 0, 0, free_slot(2), 1);
    assert_int_not_equal(cap_address(slot(free_slot(2))->cap), cap_address(endpoint));
    assert_invariants();
    assert_int_equal(revoke_slot(d), VESPER_OK);
    assert_true(is_empty(e));
    assert_true(is_empty(free_slot(2)));
    assert_int_equal(header_type(endpoint), 0);
    assert_invariants();
}

static void CNODE0021_move_truncated_message(void **state)
{
    (void)state;
    assert_truncated_below(vesper_cnode_move_msg(free_slot(0), 64, ROOT, PDOM, 64));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

static void CNODE0022_move_errors(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    vesper_word dest = free_slot(0);
    assert_int_equal(move(VESPER_ROOT_SLOT_BOOTINFO, PDOM), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(move(PDOM, PDOM), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(ROOT_CALL(&frame, cnode_move, dest, 65, ROOT, PDOM, 64),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_move, dest, 64, ROOT, PDOM, 0),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_move, dest | 1u << 12, 64, ROOT, PDOM, 64),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
    assert_int_equal(ROOT_CALL(&frame, cnode_move, dest, 64, ROOT, free_slot(1), 64),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_move, dest, 64, free_slot(1), PDOM, 64),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 0, 1);
    assert_true(is_empty(dest));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

/* ---- Mutate ------------------------------------------------------------- */

static void CNODE0023_mutate_sets_a_cnode_guard_and_keeps_children(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2), c = free_slot(1), d = free_slot(2);
    assert_int_equal(copy(c, x, VESPER_RIGHTS_ALL), VESPER_OK);
    struct cap before = slot(x)->cap;
    assert_int_equal(mutate(d, x, vesper_cnode_guard(3, 2)), VESPER_OK);
    assert_true(is_empty(x));
    struct cap after = slot(d)->cap;
    assert_int_equal(after.word0, before.word0);
    assert_int_equal(cnode_guard(after), 3);
    assert_int_equal(cnode_guard_size(after), 2);
    assert_true(cdt_is_parent_of(slot(d), slot(c)));
    /* The guard is in use: 2 guard bits and 2 index bits. */
    struct lookup r = cspace_lookup_slot(after, 3u << 2 | 1, 4);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &cnode_slots(after)[1]);
    assert_invariants();
    assert_int_equal(revoke_slot(d), VESPER_OK);
    assert_true(is_empty(c));
    assert_invariants();
}

static void CNODE0024_mutate_ignores_data_of_other_types(void **state)
{
    (void)state;
    struct cap pdom = slot(PDOM)->cap;
    assert_int_equal(mutate(free_slot(0), PDOM, 0x5555), VESPER_OK);
    assert_true(same_cap(slot(free_slot(0))->cap, pdom));
    assert_true(is_empty(PDOM));
    /* The root domain's copy of its PDom is still the moved one's child. */
    assert_true(cdt_is_parent_of(slot(free_slot(0)), &kernel.root->slots[DOMAIN_SLOT_PDOM]));
    assert_invariants();
}

/* Mutate never sets a badge (as seL4): not on an unbadged endpoint, not on
 * a badged one, not on a notification. */
static void CNODE0025_mutate_of_endpoint_is_illegal(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), m = free_slot(1);
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0, free_slot(2));
    assert_int_equal(mint(m, a, VESPER_RIGHTS_ALL, 8), VESPER_OK);
    const vesper_word sources[] = {a, m, n};
    for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++) {
        struct cap before = slot(sources[i])->cap;
        assert_int_equal(mutate(free_slot(3), sources[i], 9), VESPER_ERR_ILLEGAL_OPERATION);
        assert_int_equal(mutate(free_slot(3), sources[i], 0), VESPER_ERR_ILLEGAL_OPERATION);
        assert_true(same_cap(slot(sources[i])->cap, before));
        assert_true(is_empty(free_slot(3)));
    }
    /* A plain Move of the same capabilities is fine. */
    assert_int_equal(move(free_slot(3), m), VESPER_OK);
    assert_int_equal(cap_badge(slot(free_slot(3))->cap), 8);
    assert_invariants();
}

static void CNODE0026_mutate_bad_cnode_guard_is_invalid(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 4);
    static const vesper_word data[] = {61, 8u << 6 | 3};
    for (size_t i = 0; i < sizeof data / sizeof data[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_mutate, free_slot(1), 64, ROOT, x, 64,
                                   data[i]),
                         VESPER_ERR_INVALID_ARGUMENT);
        assert_invalid_argument(&frame, 5);
        assert_true(is_empty(free_slot(1)));
        assert_int_equal(cap_type(slot(x)->cap), CAP_CNODE);
    }
    /* 60 guard bits and radix 4 fill the word exactly. */
    assert_int_equal(mutate(free_slot(1), x, 60), VESPER_OK);
    assert_invariants();
}

static void CNODE0027_mutate_truncated_message(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2);
    assert_truncated_below(vesper_cnode_mutate_msg(free_slot(1), 64, ROOT, x, 64, 0));
    assert_int_equal(cap_type(slot(x)->cap), CAP_CNODE);
    assert_true(is_empty(free_slot(1)));
    assert_invariants();
}

static void CNODE0028_mutate_slot_errors(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2);
    struct vesper_syscall_frame frame;
    assert_int_equal(mutate(PDOM, x, 0), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(ROOT_CALL(&frame, cnode_mutate, free_slot(1), 64, ROOT, free_slot(2),
                               64, 0),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_mutate, free_slot(1), 0, ROOT, x, 64, 0),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(cap_type(slot(x)->cap), CAP_CNODE);
    assert_invariants();
}

/* ---- Rotate ------------------------------------------------------------- */

static void CNODE0029_rotate_moves_pivot_to_dest_and_src_to_pivot(void **state)
{
    (void)state;
    vesper_word src = free_slot(0), pivot = free_slot(1), dest = free_slot(2);
    make_frames(src, 2);
    struct cap src_cap = slot(src)->cap, pivot_cap = slot(pivot)->cap;
    assert_int_equal(rotate(dest, pivot, 0x77, src, 0x99), VESPER_OK);
    assert_true(same_cap(slot(dest)->cap, pivot_cap));
    assert_true(same_cap(slot(pivot)->cap, src_cap));
    assert_true(is_empty(src));
    assert_false(on_list(slot(src)));
    assert_invariants();
    /* Both stay children of their Untyped. */
    assert_int_equal(revoke_slot(large_untyped()), VESPER_OK);
    assert_true(is_empty(dest));
    assert_true(is_empty(pivot));
    assert_invariants();
}

static void CNODE0030_rotate_with_dest_equal_to_src_swaps(void **state)
{
    (void)state;
    vesper_word a = free_slot(0), b = free_slot(1);
    make_frames(a, 2);
    struct cap a_cap = slot(a)->cap, b_cap = slot(b)->cap;
    assert_int_equal(rotate(a, b, 0, a, 0), VESPER_OK);
    assert_true(same_cap(slot(a)->cap, b_cap));
    assert_true(same_cap(slot(b)->cap, a_cap));
    assert_invariants();
    /* And back. */
    assert_int_equal(rotate(b, a, 0, b, 0), VESPER_OK);
    assert_true(same_cap(slot(a)->cap, a_cap));
    assert_true(same_cap(slot(b)->cap, b_cap));
    assert_invariants();
    assert_int_equal(revoke_slot(large_untyped()), VESPER_OK);
    assert_true(is_empty(a));
    assert_true(is_empty(b));
    assert_invariants();
}

/* A swap of a capability that has children with one far away on the
 * list: the children follow their parent to its new slot. */
static void CNODE0031_rotate_keeps_children(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2), c = free_slot(1);
    assert_int_equal(copy(c, x, VESPER_RIGHTS_ALL), VESPER_OK);
    struct cap x_cap = slot(x)->cap;
    struct cap pdom = slot(PDOM)->cap;
    assert_int_equal(rotate(x, PDOM, 0, x, 0), VESPER_OK);
    assert_true(same_cap(slot(PDOM)->cap, x_cap));
    assert_true(same_cap(slot(x)->cap, pdom));
    assert_ptr_equal(cdt_next(slot(PDOM)), slot(c));
    assert_true(cdt_is_parent_of(slot(PDOM), slot(c)));
    assert_ptr_equal(cdt_next(slot(x)), &kernel.root->slots[DOMAIN_SLOT_PDOM]);
    assert_invariants();
    assert_int_equal(revoke_slot(PDOM), VESPER_OK);
    assert_true(is_empty(c));
    assert_int_equal(revoke_slot(x), VESPER_OK);
    assert_true(cap_is_null(kernel.root->slots[DOMAIN_SLOT_PDOM].cap));
    assert_invariants();
}

/* Rotate's data words are Mutate's: a new guard for each CNode capability. */
static void CNODE0032_rotate_sets_cnode_guards(void **state)
{
    (void)state;
    vesper_word src = make_cnode(free_slot(0), 2), pivot = make_cnode(free_slot(1), 2);
    vesper_word dest = free_slot(2);
    uintptr_t src_node = cap_address(slot(src)->cap), pivot_node = cap_address(slot(pivot)->cap);
    assert_int_equal(rotate(dest, pivot, vesper_cnode_guard(1, 1), src, vesper_cnode_guard(5, 3)),
                     VESPER_OK);
    assert_int_equal(cap_address(slot(dest)->cap), pivot_node);
    assert_int_equal(cnode_guard(slot(dest)->cap), 1);
    assert_int_equal(cnode_guard_size(slot(dest)->cap), 1);
    assert_int_equal(cap_address(slot(pivot)->cap), src_node);
    assert_int_equal(cnode_guard(slot(pivot)->cap), 5);
    assert_int_equal(cnode_guard_size(slot(pivot)->cap), 3);
    assert_true(is_empty(src));
    assert_invariants();
}

static void CNODE0033_rotate_pivot_same_as_src_or_dest_is_illegal(void **state)
{
    (void)state;
    vesper_word a = free_slot(0), b = free_slot(1);
    make_frames(a, 2);
    struct cap a_cap = slot(a)->cap, b_cap = slot(b)->cap;
    assert_int_equal(rotate(free_slot(2), a, 0, a, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(rotate(b, b, 0, a, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(rotate(a, a, 0, a, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_true(same_cap(slot(a)->cap, a_cap));
    assert_true(same_cap(slot(b)->cap, b_cap));
    assert_true(is_empty(free_slot(2)));
    assert_invariants();
}

static void CNODE0034_rotate_into_full_slot(void **state)
{
    (void)state;
    vesper_word a = free_slot(0), b = free_slot(1);
    make_frames(a, 2);
    struct cap a_cap = slot(a)->cap, b_cap = slot(b)->cap;
    assert_int_equal(rotate(PDOM, b, 0, a, 0), VESPER_ERR_DELETE_FIRST);
    assert_true(same_cap(slot(a)->cap, a_cap));
    assert_true(same_cap(slot(b)->cap, b_cap));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

static void CNODE0035_rotate_bad_cnode_guard_is_invalid(void **state)
{
    (void)state;
    vesper_word src = make_cnode(free_slot(0), 2), pivot = make_cnode(free_slot(1), 2);
    vesper_word dest = free_slot(2);
    struct vesper_syscall_frame frame;
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, pivot, 64, 63, ROOT,
                               src, 64, 0),
                     VESPER_ERR_INVALID_ARGUMENT);
    assert_invalid_argument(&frame, 5);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, pivot, 64, 0, ROOT,
                               src, 64, 2u << 6 | 1),
                     VESPER_ERR_INVALID_ARGUMENT);
    assert_invalid_argument(&frame, 9);
    assert_true(is_empty(dest));
    assert_int_equal(cap_type(slot(src)->cap), CAP_CNODE);
    assert_int_equal(cap_type(slot(pivot)->cap), CAP_CNODE);
    assert_invariants();
}

/* Rotate applies Mutate's data, and Mutate never sets an endpoint's badge:
 * endpoints are not rotated (seL4 behaves the same). */
static void CNODE0036_rotate_of_endpoint_is_illegal(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), b = make_endpoint(free_slot(1));
    struct cap a_cap = slot(a)->cap, b_cap = slot(b)->cap;
    assert_int_equal(rotate(free_slot(2), b, 0, a, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(rotate(free_slot(2), b, 0, PDOM, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_int_equal(rotate(free_slot(2), PDOM, 0, a, 0), VESPER_ERR_ILLEGAL_OPERATION);
    assert_true(same_cap(slot(a)->cap, a_cap));
    assert_true(same_cap(slot(b)->cap, b_cap));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

static void CNODE0037_rotate_truncated_message(void **state)
{
    (void)state;
    vesper_word a = free_slot(0), b = free_slot(1);
    make_frames(a, 2);
    assert_truncated_below(
        vesper_cnode_rotate_msg(free_slot(2), 64, ROOT, b, 64, 0, ROOT, a, 64, 0));
    assert_true(is_empty(free_slot(2)));
    assert_invariants();
}

static void CNODE0038_rotate_lookup_errors(void **state)
{
    (void)state;
    vesper_word a = free_slot(0), b = free_slot(1), dest = free_slot(2), empty = free_slot(3);
    make_frames(a, 2);
    struct vesper_syscall_frame frame;
    /* The destination is capability 0, the source 1 and the pivot 2. */
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 60, ROOT, b, 64, 0, ROOT, a,
                               64, 0),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 60, 0);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, empty, 64, 0, ROOT,
                               a, 64, 0),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 2);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, PDOM, b, 64, 0, ROOT, a,
                               64, 0),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 0, 2);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, b, 64, 0, ROOT,
                               empty, 64, 0),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, b, 64, 0, ROOT, a,
                               64 << 20, 0),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 64, ROOT, b, 0, 0, ROOT, a,
                               64, 0),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_int_equal(ROOT_CALL(&frame, cnode_rotate, dest, 0, ROOT, b, 64, 0, ROOT, a,
                               64, 0),
                     VESPER_ERR_RANGE);
    assert_range_1_64(&frame);
    assert_true(is_empty(dest));
    assert_int_equal(cap_type(slot(a)->cap), CAP_FRAME_4K);
    assert_int_equal(cap_type(slot(b)->cap), CAP_FRAME_4K);
    assert_invariants();
}

/* ---- Delete ------------------------------------------------------------- */

static void CNODE0039_delete_last_capability_destroys_the_object(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0));
    vesper_word n = make_object(VESPER_OBJECT_NOTIFICATION, 0, free_slot(1));
    struct cap endpoint = slot(a)->cap, notification = slot(n)->cap;
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_int_equal(delete_slot(a), VESPER_OK);
    assert_true(is_empty(a));
    assert_false(on_list(slot(a)));
    assert_int_equal(header_type(endpoint), 0);
    assert_int_equal(header_type(notification), CAP_NOTIFICATION);
    assert_int_equal(delete_slot(n), VESPER_OK);
    assert_int_equal(header_type(notification), 0);
    assert_invariants();
}

static void CNODE0040_delete_of_a_non_final_capability_keeps_the_object(void **state)
{
    (void)state;
    vesper_word a = make_endpoint(free_slot(0)), b = free_slot(1), m = free_slot(2);
    assert_int_equal(copy(b, a, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(mint(m, a, VESPER_RIGHTS_ALL, 3), VESPER_OK);
    struct cap endpoint = slot(a)->cap;
    assert_int_equal(delete_slot(a), VESPER_OK);
    assert_true(is_empty(a));
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_invariants();
    assert_int_equal(delete_slot(b), VESPER_OK);
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_invariants();
    /* The badged capability was the last. */
    assert_true(cdt_is_final(slot(m)));
    assert_int_equal(delete_slot(m), VESPER_OK);
    assert_int_equal(header_type(endpoint), 0);
    assert_invariants();
}

static void CNODE0041_delete_and_revoke_of_an_empty_slot_succeed(void **state)
{
    (void)state;
    size_t before = list_length();
    assert_int_equal(delete_slot(free_slot(0)), VESPER_OK);
    assert_int_equal(revoke_slot(free_slot(0)), VESPER_OK);
    assert_int_equal(delete_slot(0), VESPER_OK);
    assert_int_equal(list_length(), before);
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

/* A CNode's last capability takes its contents with it; capabilities to
 * objects that have others elsewhere only lose one. */
static void CNODE0042_delete_of_a_cnode_deletes_its_contents(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2);
    vesper_word outside = make_endpoint(free_slot(1));
    retype(first_untyped(), VESPER_OBJECT_ENDPOINT, 0, x, 0, 0, 0, 1);
    retype(first_untyped(), VESPER_OBJECT_NOTIFICATION, 0, x, 0, 0, 1, 1);
    assert_int_equal(TEST_CALL(x, cnode_copy, 2, 2, ROOT, PDOM, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(x, cnode_copy, 3, 2, ROOT, outside, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    struct cap node = slot(x)->cap;
    struct cte *inside = cnode_slots(node);
    struct cap endpoint = inside[0].cap, notification = inside[1].cap;
    assert_invariants();
    assert_int_equal(delete_slot(x), VESPER_OK);
    assert_true(is_empty(x));
    assert_all_slots_empty(node);
    assert_int_equal(header_type(endpoint), 0);
    assert_int_equal(header_type(notification), 0);
    assert_int_equal(header_type(slot(outside)->cap), CAP_ENDPOINT);
    assert_true(cdt_is_final(slot(outside)));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

#define NEST_DEPTH 5
#define NEST_RADIX 2u

/* CNodes nested five deep, each the only holder of the next and of an
 * endpoint, all gone with the outermost. */
static void CNODE0043_delete_of_nested_cnodes(void **state)
{
    (void)state;
    vesper_word flat = make_flat_root(free_slot(0));
    vesper_word outer = make_cnode(free_slot(1), NEST_RADIX);
    struct cap nodes[NEST_DEPTH], endpoints[NEST_DEPTH];
    size_t before = list_length();
    vesper_word address = outer;
    vesper_word depth = VESPER_ROOT_CNODE_RADIX;
    for (int level = 0; level < NEST_DEPTH; level++) {
        /* An endpoint in slot 1 and, but for the last, a CNode in slot 0. */
        retype(first_untyped(), VESPER_OBJECT_ENDPOINT, 0, flat, address, depth, 1, 1);
        if (level + 1 < NEST_DEPTH)
            retype(first_untyped(), VESPER_OBJECT_CNODE, NEST_RADIX, flat, address, depth, 0, 1);
        struct lookup r = cspace_lookup_slot(slot(flat)->cap, address, (unsigned)depth);
        assert_int_equal(r.error, VESPER_OK);
        nodes[level] = r.slot->cap;
        endpoints[level] = cnode_slots(nodes[level])[1].cap;
        assert_int_equal(header_type(endpoints[level]), CAP_ENDPOINT);
        address <<= NEST_RADIX;
        depth += NEST_RADIX;
    }
    assert_int_equal(list_length(), before + 2 * NEST_DEPTH - 1);
    assert_invariants();
    assert_int_equal(delete_slot(outer), VESPER_OK);
    assert_true(is_empty(outer));
    for (int level = 0; level < NEST_DEPTH; level++) {
        assert_all_slots_empty(nodes[level]);
        assert_int_equal(header_type(endpoints[level]), 0);
    }
    assert_int_equal(list_length(), before - 1);
    assert_invariants();
}

/* A capability to a CNode inside that CNode keeps it alive when the
 * outside one goes (as in seL4: the user must revoke first); revoking the
 * Untyped it came from destroys it from within. */
static void CNODE0044_cnode_holding_a_capability_to_itself(void **state)
{
    (void)state;
    /* The endpoint is made first and moved in, so that the Untyped's
     * revocation meets the CNode before it. */
    vesper_word e = make_endpoint(free_slot(1));
    vesper_word x = make_cnode(free_slot(0), 2);
    assert_int_equal(TEST_CALL(x, cnode_move, 0, 2, ROOT, e, 64), VESPER_OK);
    assert_int_equal(TEST_CALL(x, cnode_copy, 1, 2, ROOT, x, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    struct cap node = slot(x)->cap;
    struct cte *inside = cnode_slots(node);
    struct cap endpoint = inside[0].cap;
    assert_true(cap_same_object(inside[1].cap, node));
    assert_int_equal(delete_slot(x), VESPER_OK);
    assert_true(is_empty(x));
    assert_true(cdt_is_final(&inside[1]));
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_invariants();
    assert_int_equal(revoke_slot(first_untyped()), VESPER_OK);
    assert_all_slots_empty(node);
    assert_int_equal(header_type(endpoint), 0);
    assert_false(cdt_has_children(slot(first_untyped())));
    assert_invariants();
}

/* Revoke of the self-copy, then Delete: the usual way to destroy such a
 * CNode with CNode invocations alone. */
static void CNODE0045_revoke_then_delete_a_self_holding_cnode(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2);
    retype(first_untyped(), VESPER_OBJECT_ENDPOINT, 0, x, 0, 0, 3, 1);
    assert_int_equal(TEST_CALL(x, cnode_copy, 2, 2, ROOT, x, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    struct cap node = slot(x)->cap;
    struct cap endpoint = cnode_slots(node)[3].cap;
    assert_int_equal(revoke_slot(x), VESPER_OK);
    assert_true(cap_is_null(cnode_slots(node)[2].cap));
    assert_true(cdt_is_final(slot(x)));
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_int_equal(delete_slot(x), VESPER_OK);
    assert_all_slots_empty(node);
    assert_int_equal(header_type(endpoint), 0);
    assert_invariants();
}

static void CNODE0046_delete_truncated_message(void **state)
{
    (void)state;
    assert_truncated_below(vesper_cnode_delete_msg(PDOM, 64));
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

static void CNODE0047_delete_depth_out_of_range(void **state)
{
    (void)state;
    static const vesper_word depths[] = {0, 65};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(ROOT_CALL(&frame, cnode_delete, PDOM, depths[i]), VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
        assert_int_equal(ROOT_CALL(&frame, cnode_revoke, PDOM, depths[i]), VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
    }
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_int_equal(cap_type(kernel.root->slots[DOMAIN_SLOT_PDOM].cap), CAP_PDOM);
    assert_invariants();
}

static void CNODE0048_delete_and_revoke_lookup_fails(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    const vesper_word outside = (vesper_word)1 << 50 | PDOM;
    const struct vesper_invocation_msg guard_mismatch[] = {vesper_cnode_delete_msg(outside, 64),
                                                           vesper_cnode_revoke_msg(outside, 64)};
    const struct vesper_invocation_msg depth_mismatch[] = {vesper_cnode_delete_msg(PDOM, 61),
                                                           vesper_cnode_revoke_msg(PDOM, 61)};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(test_invoke_msg(&frame, ROOT, guard_mismatch[i]),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
        assert_int_equal(test_invoke_msg(&frame, ROOT, depth_mismatch[i]),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 61, 0);
    }
    assert_int_equal(cap_type(slot(PDOM)->cap), CAP_PDOM);
    assert_int_equal(cap_type(kernel.root->slots[DOMAIN_SLOT_PDOM].cap), CAP_PDOM);
    assert_invariants();
}

/* ---- Revoke ------------------------------------------------------------- */

/* A badged endpoint family: A the original; B a copy; M5 and M6 minted
 * with badges 5 and 6; C a copy of M5 and D a copy of B. */
struct family {
    vesper_word a, b, m5, m6, c, d;
};

static struct family family_make(void)
{
    struct family f = {make_endpoint(free_slot(0)), free_slot(1), free_slot(2), free_slot(3),
                       free_slot(4), free_slot(5)};
    assert_int_equal(copy(f.b, f.a, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(mint(f.m6, f.a, VESPER_RIGHTS_ALL, 6), VESPER_OK);
    assert_int_equal(mint(f.m5, f.a, VESPER_RIGHTS_ALL, 5), VESPER_OK);
    assert_int_equal(copy(f.c, f.m5, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(copy(f.d, f.b, VESPER_RIGHT_READ), VESPER_OK);
    assert_invariants();
    return f;
}

static void CNODE0049_revoke_of_the_original_deletes_all_badges(void **state)
{
    (void)state;
    struct family f = family_make();
    struct cap endpoint = slot(f.a)->cap;
    assert_int_equal(revoke_slot(f.a), VESPER_OK);
    const vesper_word gone[] = {f.b, f.m5, f.m6, f.c, f.d};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++)
        assert_true(is_empty(gone[i]));
    assert_true(same_cap(slot(f.a)->cap, endpoint));
    assert_true(cdt_is_final(slot(f.a)));
    assert_int_equal(header_type(endpoint), CAP_ENDPOINT);
    assert_invariants();
}

static void CNODE0050_revoke_of_a_badged_capability_spares_other_badges(void **state)
{
    (void)state;
    struct family f = family_make();
    /* M5's subtree: C, and a copy of C. */
    vesper_word e = free_slot(6);
    assert_int_equal(copy(e, f.c, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_true(cdt_is_parent_of(slot(f.m5), slot(e)));
    assert_int_equal(revoke_slot(f.m5), VESPER_OK);
    assert_true(is_empty(f.c));
    assert_true(is_empty(e));
    const vesper_word kept[] = {f.a, f.b, f.m5, f.m6, f.d};
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        assert_int_equal(cap_type(slot(kept[i])->cap), CAP_ENDPOINT);
    assert_int_equal(cap_badge(slot(f.m6)->cap), 6);
    assert_invariants();
}

/* Two separate Mints of the same badge are separate subtrees. */
static void CNODE0051_revoke_spares_a_separate_mint_of_the_same_badge(void **state)
{
    (void)state;
    struct family f = family_make();
    vesper_word again = free_slot(6), copy_again = free_slot(7);
    assert_int_equal(mint(again, f.a, VESPER_RIGHTS_ALL, 5), VESPER_OK);
    assert_int_equal(copy(copy_again, again, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_true(cdt_is_first_badged(slot(f.m5)));
    assert_int_equal(revoke_slot(again), VESPER_OK);
    assert_true(is_empty(copy_again));
    assert_int_equal(cap_badge(slot(f.m5)->cap), 5);
    assert_int_equal(cap_badge(slot(f.c)->cap), 5);
    assert_invariants();
    /* Deleting the first mint keeps its copy apart from the next mint. */
    assert_int_equal(delete_slot(again), VESPER_OK);
    assert_int_equal(mint(again, f.a, VESPER_RIGHTS_ALL, 5), VESPER_OK);
    assert_ptr_equal(cdt_next(slot(again)), slot(f.m5));
    assert_int_equal(delete_slot(f.m5), VESPER_OK);
    assert_ptr_equal(cdt_next(slot(again)), slot(f.c));
    assert_int_equal(revoke_slot(again), VESPER_OK);
    assert_int_equal(cap_badge(slot(f.c)->cap), 5);
    assert_invariants();
}

/* Copies of an unbadged copy are its siblings, not its children: only the
 * original, or a newly badged capability, can be revoked. */
static void CNODE0052_revoke_of_a_plain_copy_deletes_nothing(void **state)
{
    (void)state;
    struct family f = family_make();
    size_t before = list_length();
    assert_int_equal(revoke_slot(f.b), VESPER_OK);
    assert_int_equal(revoke_slot(f.c), VESPER_OK);
    assert_int_equal(list_length(), before);
    assert_int_equal(cap_type(slot(f.d)->cap), CAP_ENDPOINT);
    assert_int_equal(cap_rights(slot(f.d)->cap), VESPER_RIGHT_READ);
    assert_invariants();
}

static void CNODE0053_revoke_truncated_message(void **state)
{
    (void)state;
    struct family f = family_make();
    assert_truncated_below(vesper_cnode_revoke_msg(f.a, 64));
    assert_int_equal(cap_type(slot(f.b)->cap), CAP_ENDPOINT);
    assert_invariants();
}

/* Revoking an Untyped whose own capability sits in a CNode made from it:
 * destroying that CNode deletes the very capability being revoked, and
 * the revocation stops there. */
static void CNODE0054_revoke_that_deletes_the_revoked_capability(void **state)
{
    (void)state;
    vesper_word flat = make_flat_root(free_slot(0));
    vesper_word u = free_slot(1), x = free_slot(2);
    retype(first_untyped(), VESPER_OBJECT_UNTYPED, 9, ROOT, 0, 0, u, 1);
    retype(u, VESPER_OBJECT_CNODE, 2, ROOT, 0, 0, x, 1);
    retype(u, VESPER_OBJECT_ENDPOINT, 0, x, 0, 0, 1, 1);
    struct cap node = slot(x)->cap;
    struct cap endpoint = cnode_slots(node)[1].cap;
    assert_int_equal(TEST_CALL(x, cnode_move, 0, 2, ROOT, u, 64), VESPER_OK);
    assert_true(is_empty(u));
    assert_invariants();
    assert_int_equal(TEST_CALL(flat, cnode_revoke, x << 2, VESPER_ROOT_CNODE_RADIX + 2),
                     VESPER_OK);
    assert_true(is_empty(x));
    assert_all_slots_empty(node);
    assert_int_equal(header_type(endpoint), 0);
    assert_false(cdt_has_children(slot(first_untyped())));
    assert_invariants();
}

/* A swap of a capability with its own child: the two tree nodes trade
 * slots, so the parent (now in the child's old slot) still precedes and
 * owns the child. */
static void CNODE0056_rotate_swaps_a_parent_with_its_child(void **state)
{
    (void)state;
    vesper_word x = make_cnode(free_slot(0), 2), c = free_slot(1), d = free_slot(2);
    assert_int_equal(copy(c, x, VESPER_RIGHTS_ALL), VESPER_OK);
    assert_int_equal(copy(d, c, VESPER_RIGHTS_ALL), VESPER_OK);
    struct cap x_cap = slot(x)->cap;
    assert_int_equal(rotate(x, c, 0, x, 0), VESPER_OK);
    assert_true(same_cap(slot(c)->cap, x_cap));
    assert_true(cdt_is_revocable(slot(c)));
    assert_false(cdt_is_revocable(slot(x)));
    assert_true(cdt_is_parent_of(slot(c), slot(x)));
    assert_invariants();
    assert_int_equal(revoke_slot(c), VESPER_OK);
    assert_true(is_empty(x));
    assert_true(is_empty(d));
    assert_true(cdt_is_final(slot(c)));
    assert_invariants();
}

/* A CNode holding the only two capabilities to another: the first is not
 * final and just goes, the second destroys the inner CNode. */
static void CNODE0057_delete_of_a_cnode_holding_two_copies_of_another(void **state)
{
    (void)state;
    vesper_word outer = make_cnode(free_slot(0), 2), inner = make_cnode(free_slot(1), 2);
    retype(first_untyped(), VESPER_OBJECT_ENDPOINT, 0, inner, 0, 0, 3, 1);
    assert_int_equal(TEST_CALL(outer, cnode_copy, 2, 2, ROOT, inner, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(outer, cnode_move, 1, 2, ROOT, inner, 64), VESPER_OK);
    struct cap outer_cap = slot(outer)->cap;
    struct cap inner_cap = cnode_slots(outer_cap)[1].cap;
    struct cap endpoint = cnode_slots(inner_cap)[3].cap;
    assert_true(is_empty(inner));
    assert_int_equal(delete_slot(outer), VESPER_OK);
    assert_all_slots_empty(outer_cap);
    assert_all_slots_empty(inner_cap);
    assert_int_equal(header_type(endpoint), 0);
    assert_false(cdt_has_children(slot(first_untyped())));
    assert_invariants();
}

/* ---- Other labels ------------------------------------------------------- */

static void CNODE0055_unknown_label_is_illegal(void **state)
{
    (void)state;
    static const vesper_word labels[] = {0, VESPER_UNTYPED_RETYPE, VESPER_DOMAIN_CONFIGURE, 999};
    struct vesper_invocation_msg copy =
        vesper_cnode_copy_msg(free_slot(0), 64, ROOT, PDOM, 64, VESPER_RIGHTS_ALL);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        assert_int_equal(test_invoke(NULL, ROOT, labels[i], copy.length, copy.word),
                         VESPER_ERR_ILLEGAL_OPERATION);
    assert_true(is_empty(free_slot(0)));
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(CNODE0001_copy_makes_a_child, test_boot),
        cmocka_unit_test_setup(CNODE0002_copy_rights_only_shrink, test_boot),
        cmocka_unit_test_setup(CNODE0003_copy_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0004_copy_destination_depth_out_of_range, test_boot),
        cmocka_unit_test_setup(CNODE0005_copy_source_depth_out_of_range, test_boot),
        cmocka_unit_test_setup(CNODE0006_copy_destination_lookup_fails, test_boot),
        cmocka_unit_test_setup(CNODE0007_copy_source_lookup_fails, test_boot),
        cmocka_unit_test_setup(CNODE0008_copy_rights_above_0xf_are_invalid, test_boot),
        cmocka_unit_test_setup(CNODE0009_copy_into_full_slot, test_boot),
        cmocka_unit_test_setup(CNODE0010_copy_of_underivable_capability_is_illegal, test_boot),
        cmocka_unit_test_setup(CNODE0011_mint_badges_an_endpoint_once, test_boot),
        cmocka_unit_test_setup(CNODE0012_mint_badges_a_notification, test_boot),
        cmocka_unit_test_setup(CNODE0013_mint_sets_a_cnode_guard, test_boot),
        cmocka_unit_test_setup(CNODE0014_mint_bad_cnode_guard_is_invalid, test_boot),
        cmocka_unit_test_setup(CNODE0015_mint_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0016_mint_rights_above_0xf_are_invalid, test_boot),
        cmocka_unit_test_setup(CNODE0017_mint_slot_errors, test_boot),
        cmocka_unit_test_setup(CNODE0018_move_keeps_children, test_boot),
        cmocka_unit_test_setup(CNODE0019_moved_child_stays_a_child, test_boot),
        cmocka_unit_test_setup(CNODE0020_move_untyped_keeps_its_objects, test_boot),
        cmocka_unit_test_setup(CNODE0021_move_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0022_move_errors, test_boot),
        cmocka_unit_test_setup(CNODE0023_mutate_sets_a_cnode_guard_and_keeps_children, test_boot),
        cmocka_unit_test_setup(CNODE0024_mutate_ignores_data_of_other_types, test_boot),
        cmocka_unit_test_setup(CNODE0025_mutate_of_endpoint_is_illegal, test_boot),
        cmocka_unit_test_setup(CNODE0026_mutate_bad_cnode_guard_is_invalid, test_boot),
        cmocka_unit_test_setup(CNODE0027_mutate_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0028_mutate_slot_errors, test_boot),
        cmocka_unit_test_setup(CNODE0029_rotate_moves_pivot_to_dest_and_src_to_pivot, test_boot),
        cmocka_unit_test_setup(CNODE0030_rotate_with_dest_equal_to_src_swaps, test_boot),
        cmocka_unit_test_setup(CNODE0031_rotate_keeps_children, test_boot),
        cmocka_unit_test_setup(CNODE0032_rotate_sets_cnode_guards, test_boot),
        cmocka_unit_test_setup(CNODE0033_rotate_pivot_same_as_src_or_dest_is_illegal, test_boot),
        cmocka_unit_test_setup(CNODE0034_rotate_into_full_slot, test_boot),
        cmocka_unit_test_setup(CNODE0035_rotate_bad_cnode_guard_is_invalid, test_boot),
        cmocka_unit_test_setup(CNODE0036_rotate_of_endpoint_is_illegal, test_boot),
        cmocka_unit_test_setup(CNODE0037_rotate_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0038_rotate_lookup_errors, test_boot),
        cmocka_unit_test_setup(CNODE0039_delete_last_capability_destroys_the_object, test_boot),
        cmocka_unit_test_setup(CNODE0040_delete_of_a_non_final_capability_keeps_the_object,
                               test_boot),
        cmocka_unit_test_setup(CNODE0041_delete_and_revoke_of_an_empty_slot_succeed, test_boot),
        cmocka_unit_test_setup(CNODE0042_delete_of_a_cnode_deletes_its_contents, test_boot),
        cmocka_unit_test_setup(CNODE0043_delete_of_nested_cnodes, test_boot),
        cmocka_unit_test_setup(CNODE0044_cnode_holding_a_capability_to_itself, test_boot),
        cmocka_unit_test_setup(CNODE0045_revoke_then_delete_a_self_holding_cnode, test_boot),
        cmocka_unit_test_setup(CNODE0046_delete_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0047_delete_depth_out_of_range, test_boot),
        cmocka_unit_test_setup(CNODE0048_delete_and_revoke_lookup_fails, test_boot),
        cmocka_unit_test_setup(CNODE0049_revoke_of_the_original_deletes_all_badges, test_boot),
        cmocka_unit_test_setup(CNODE0050_revoke_of_a_badged_capability_spares_other_badges,
                               test_boot),
        cmocka_unit_test_setup(CNODE0051_revoke_spares_a_separate_mint_of_the_same_badge,
                               test_boot),
        cmocka_unit_test_setup(CNODE0052_revoke_of_a_plain_copy_deletes_nothing, test_boot),
        cmocka_unit_test_setup(CNODE0053_revoke_truncated_message, test_boot),
        cmocka_unit_test_setup(CNODE0054_revoke_that_deletes_the_revoked_capability, test_boot),
        cmocka_unit_test_setup(CNODE0055_unknown_label_is_illegal, test_boot),
        cmocka_unit_test_setup(CNODE0056_rotate_swaps_a_parent_with_its_child, test_boot),
        cmocka_unit_test_setup(CNODE0057_delete_of_a_cnode_holding_two_copies_of_another,
                               test_boot),
    };
    return cmocka_run_group_tests_name("cnode", tests, NULL, NULL);
}
