/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * CSpace addressing: resolving a CPtr through one, two and three levels of
 * CNodes, with guards and an explicit depth. Each failure a lookup can
 * report (invalid root, missing capability, depth mismatch, guard
 * mismatch, a depth out of range) and the bits it had left, both through
 * invocations and by calling the lookup functions on capabilities.
 */
#include "cap.h"
#include "cspace.h"
#include "state.h"
#include "support.h"

#define ROOT VESPER_ROOT_SLOT_CNODE

/* The radix of the second-level CNode and the guard its capability gets
 * in the two-level layout below. */
#define NODE_RADIX 4u
#define NODE_GUARD 5u
#define NODE_GUARD_BITS 3u
#define NODE_LEVEL_BITS (NODE_GUARD_BITS + NODE_RADIX)
#define ENDPOINT_INDEX 7u

static vesper_word free_slot(unsigned n)
{
    return test_first_empty() + n;
}

static struct cap root_cap(void)
{
    return test_root_slot(ROOT)->cap;
}

/* Retype one object from the first Untyped into slot `offset` of the CNode
 * at node_index/node_depth below cnode_cptr (depth 0: that CNode). */
static void retype_at(vesper_word type, vesper_word size_bits, vesper_word cnode_cptr,
                      vesper_word node_index, vesper_word node_depth, vesper_word offset)
{
    vesper_word untyped = test_bootinfo()->untyped_first;
    assert_int_equal(TEST_CALL(untyped, untyped_retype, type, size_bits, cnode_cptr,
                               node_index, node_depth, offset, 1),
                     VESPER_OK);
}

static void retype_into(vesper_word type, vesper_word size_bits, vesper_word cnode_cptr,
                        vesper_word offset)
{
    retype_at(type, size_bits, cnode_cptr, 0, 0, offset);
}

/* Mint the capability at root slot src into root slot dest with data. */
static void mint_in_root(vesper_word dest, vesper_word src, vesper_word data)
{
    assert_int_equal(TEST_CALL(ROOT, cnode_mint, dest, 64, ROOT, src, 64,
                               VESPER_RIGHTS_ALL, data),
                     VESPER_OK);
}

static void assert_lookup_fails(struct lookup r, enum vesper_lookup_failure failure,
                                unsigned bits_left)
{
    assert_int_equal(r.error, VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(r.failure, failure);
    assert_int_equal(r.bits_left, bits_left);
    assert_null(r.slot);
}

/* Identify the capability at cptr; returns the error. */
static enum vesper_error identify(vesper_word cptr, struct vesper_syscall_frame *frame)
{
    return test_identify(frame, cptr);
}

static enum cap_type identified_type(const struct vesper_syscall_frame *frame)
{
    return (enum cap_type)(frame->arg[2] & 0xffu);
}

/*
 * Two levels: `flat` holds a copy of the root CNode capability without a
 * guard, so 10 bits name a root slot; `node` holds a CNode of radix 4 and
 * `guarded` a copy of it whose guard is 0b101 in 3 bits; the endpoint sits
 * in that CNode's slot 7. Through `flat`, slot i of the second CNode is
 * ((guarded << 3 | 0b101) << 4 | i) at depth 17.
 */
struct two_levels {
    vesper_word flat, node, guarded;
    struct cap flat_cap;
    struct cte *node_slots;
};

static struct two_levels two_levels_make(void)
{
    struct two_levels t = {free_slot(0), free_slot(1), free_slot(2), {0, 0}, NULL};
    mint_in_root(t.flat, ROOT, vesper_cnode_guard(0, 0));
    retype_into(VESPER_OBJECT_CNODE, NODE_RADIX, ROOT, t.node);
    mint_in_root(t.guarded, t.node, vesper_cnode_guard(NODE_GUARD, NODE_GUARD_BITS));
    retype_into(VESPER_OBJECT_ENDPOINT, 0, t.guarded, ENDPOINT_INDEX);
    t.flat_cap = test_root_slot(t.flat)->cap;
    assert_int_equal(cnode_guard_size(t.flat_cap), 0);
    assert_int_equal(cnode_radix(t.flat_cap), VESPER_ROOT_CNODE_RADIX);
    t.node_slots = cnode_slots(test_root_slot(t.node)->cap);
    assert_int_equal(cap_type(t.node_slots[ENDPOINT_INDEX].cap), CAP_ENDPOINT);
    return t;
}

/* The address, under `flat`, of slot index of the second CNode whose
 * guard bits are `guard`. */
static vesper_word second_level(const struct two_levels *t, vesper_word guard, vesper_word index)
{
    return ((t->guarded << NODE_GUARD_BITS | guard) << NODE_RADIX) | index;
}

#define SECOND_LEVEL_DEPTH (VESPER_ROOT_CNODE_RADIX + NODE_LEVEL_BITS)

static void CSPACE0001_root_cptr_is_the_slot_number(void **state)
{
    (void)state;
    static const vesper_word slots[] = {0, ROOT, VESPER_ROOT_SLOT_PDOM, 13, 1023};
    for (size_t i = 0; i < sizeof slots / sizeof slots[0]; i++) {
        struct lookup r = cspace_lookup_slot(root_cap(), slots[i], 64);
        assert_int_equal(r.error, VESPER_OK);
        assert_ptr_equal(r.slot, test_root_slot(slots[i]));
        assert_int_equal(r.bits_left, 0);
        r = cspace_lookup_invocation(root_cap(), slots[i]);
        assert_int_equal(r.error, VESPER_OK);
        assert_ptr_equal(r.slot, test_root_slot(slots[i]));
        assert_int_equal(r.bits_left, 0);
    }
    struct vesper_syscall_frame frame;
    assert_int_equal(identify(VESPER_ROOT_SLOT_PDOM, &frame), VESPER_OK);
    assert_int_equal(identified_type(&frame), CAP_PDOM);
    assert_int_equal(frame.arg[4], cap_address(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap));
    assert_int_equal(identify(ROOT, &frame), VESPER_OK);
    assert_int_equal(identified_type(&frame), CAP_CNODE);
    assert_invariants();
}

/* The root capability's 54-bit guard of zeros: any bit set above the slot
 * number fails the lookup of the invoked capability. */
static void CSPACE0002_invocation_with_guard_bits_set_fails(void **state)
{
    (void)state;
    static const vesper_word cptrs[] = {
        (vesper_word)1 << 10 | VESPER_ROOT_SLOT_PDOM,
        (vesper_word)1 << 63 | VESPER_ROOT_SLOT_PDOM,
        UINT64_MAX,
    };
    for (size_t i = 0; i < sizeof cptrs / sizeof cptrs[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(identify(cptrs[i], &frame), VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
        assert_lookup_fails(cspace_lookup_slot(root_cap(), cptrs[i], 64),
                            VESPER_LOOKUP_GUARD_MISMATCH, 64);
    }
    assert_invariants();
}

static void CSPACE0003_depth_zero_or_above_64_is_out_of_range(void **state)
{
    (void)state;
    /* The last would pass if only its low 32 bits were read. */
    static const vesper_word depths[] = {0, 65, 128, (vesper_word)1 << 32 | 64};
    vesper_word dest = free_slot(0);
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        if (depths[i] <= UINT32_MAX) {
            struct lookup r = cspace_lookup_slot(root_cap(), VESPER_ROOT_SLOT_PDOM,
                                                 (unsigned)depths[i]);
            assert_int_equal(r.error, VESPER_ERR_RANGE);
            assert_null(r.slot);
        }
        struct vesper_syscall_frame frame;
        /* The destination's depth... */
        assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, dest, depths[i], ROOT,
                                         VESPER_ROOT_SLOT_PDOM, 64, VESPER_RIGHTS_ALL),
                         VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
        /* ...and the source's. */
        assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, dest, 64, ROOT,
                                         VESPER_ROOT_SLOT_PDOM, depths[i], VESPER_RIGHTS_ALL),
                         VESPER_ERR_RANGE);
        assert_range_1_64(&frame);
        assert_true(cap_is_null(test_root_slot(dest)->cap));
    }
    assert_invariants();
}

/* The root level takes 64 bits: 54 of guard and 10 of index. A shorter
 * depth that still covers the guard ends inside the level; one shorter
 * than the guard cannot match it. */
static void CSPACE0004_depth_short_of_the_root_level(void **state)
{
    (void)state;
    assert_lookup_fails(cspace_lookup_slot(root_cap(), VESPER_ROOT_SLOT_PDOM, 63),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 63);
    assert_lookup_fails(cspace_lookup_slot(root_cap(), 0, 54), VESPER_LOOKUP_DEPTH_MISMATCH, 54);
    assert_lookup_fails(cspace_lookup_slot(root_cap(), VESPER_ROOT_SLOT_PDOM, 54),
                        VESPER_LOOKUP_GUARD_MISMATCH, 54);
    assert_lookup_fails(cspace_lookup_slot(root_cap(), 0, 10), VESPER_LOOKUP_GUARD_MISMATCH, 10);
    assert_lookup_fails(cspace_lookup_slot(root_cap(), 0, 1), VESPER_LOOKUP_GUARD_MISMATCH, 1);

    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_delete, VESPER_ROOT_SLOT_PDOM, 63),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 63, 0);
    assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_delete, VESPER_ROOT_SLOT_PDOM, 32),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 32, 0);
    assert_int_equal(cap_type(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

/* Through a guardless copy of the root, 10 bits name a root slot; more
 * bits than that run past a slot that holds no CNode. */
static void CSPACE0005_depth_past_a_non_cnode_slot(void **state)
{
    (void)state;
    vesper_word flat = free_slot(0);
    mint_in_root(flat, ROOT, vesper_cnode_guard(0, 0));
    struct cap cap = test_root_slot(flat)->cap;

    struct lookup r = cspace_lookup_slot(cap, VESPER_ROOT_SLOT_PDOM, 10);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, test_root_slot(VESPER_ROOT_SLOT_PDOM));
    assert_lookup_fails(cspace_lookup_slot(cap, VESPER_ROOT_SLOT_PDOM << 2 | 3, 12),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 2);
    /* An empty slot holds no CNode either. */
    assert_lookup_fails(cspace_lookup_slot(cap, free_slot(5) << 20, 30),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 20);
    assert_lookup_fails(cspace_lookup_slot(cap, 0, 64), VESPER_LOOKUP_DEPTH_MISMATCH, 54);

    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, flat, cnode_delete, VESPER_ROOT_SLOT_PDOM << 2, 12),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 2, 0);
    assert_int_equal(cap_type(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap), CAP_PDOM);
    /* At exactly 10 bits the same CNode deletes the slot it names. */
    assert_int_equal(TEST_CALL(flat, cnode_delete, VESPER_ROOT_SLOT_PDOM, 10), VESPER_OK);
    assert_true(cap_is_null(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap));
    assert_invariants();
}

static void CSPACE0006_two_levels_by_direct_lookup(void **state)
{
    (void)state;
    struct two_levels t = two_levels_make();
    struct lookup r = cspace_lookup_slot(t.flat_cap, second_level(&t, NODE_GUARD, ENDPOINT_INDEX),
                                         SECOND_LEVEL_DEPTH);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &t.node_slots[ENDPOINT_INDEX]);
    assert_int_equal(r.bits_left, 0);
    /* Every slot of the second CNode, empty or not. */
    for (vesper_word i = 0; i < (1u << NODE_RADIX); i++) {
        r = cspace_lookup_slot(t.flat_cap, second_level(&t, NODE_GUARD, i), SECOND_LEVEL_DEPTH);
        assert_int_equal(r.error, VESPER_OK);
        assert_ptr_equal(r.slot, &t.node_slots[i]);
    }
    /* A depth that ends at the slot holding a CNode capability names that
     * slot: resolution does not go on into the CNode. */
    r = cspace_lookup_slot(t.flat_cap, t.guarded, VESPER_ROOT_CNODE_RADIX);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, test_root_slot(t.guarded));
    /* The unguarded copy of the same CNode takes 4 bits, not 7. */
    r = cspace_lookup_slot(t.flat_cap, t.node << NODE_RADIX | ENDPOINT_INDEX,
                           VESPER_ROOT_CNODE_RADIX + NODE_RADIX);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &t.node_slots[ENDPOINT_INDEX]);
    /* An invocation lookup resolves all 64 bits and stops at the
     * endpoint, reporting what it did not use. */
    unsigned unused = 64 - SECOND_LEVEL_DEPTH;
    r = cspace_lookup_invocation(t.flat_cap,
                                 second_level(&t, NODE_GUARD, ENDPOINT_INDEX) << unused | 1);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &t.node_slots[ENDPOINT_INDEX]);
    assert_int_equal(r.bits_left, unused);
    assert_invariants();
}

static void CSPACE0007_two_levels_through_cnode_invocations(void **state)
{
    (void)state;
    struct two_levels t = two_levels_make();
    vesper_word copy_in_node = second_level(&t, NODE_GUARD, 9);
    /* Copy the endpoint from the second CNode into the root... */
    vesper_word dest = free_slot(3);
    assert_int_equal(TEST_CALL(ROOT, cnode_copy, dest, 64, t.flat,
                               second_level(&t, NODE_GUARD, ENDPOINT_INDEX), SECOND_LEVEL_DEPTH,
                               VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(test_root_slot(dest)->cap.word0, t.node_slots[ENDPOINT_INDEX].cap.word0);
    /* ...and the PDom capability from the root into it, invoking the
     * flat root copy with a two-level destination. */
    assert_int_equal(TEST_CALL(t.flat, cnode_copy, copy_in_node, SECOND_LEVEL_DEPTH, ROOT,
                               VESPER_ROOT_SLOT_PDOM, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    assert_int_equal(cap_type(t.node_slots[9].cap), CAP_PDOM);
    /* Delete it again through the same address. */
    assert_int_equal(TEST_CALL(t.flat, cnode_delete, copy_in_node, SECOND_LEVEL_DEPTH),
                     VESPER_OK);
    assert_true(cap_is_null(t.node_slots[9].cap));
    assert_int_equal(cap_type(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap), CAP_PDOM);
    assert_invariants();
}

static void CSPACE0008_second_level_guard_mismatch(void **state)
{
    (void)state;
    struct two_levels t = two_levels_make();
    static const vesper_word wrong_guards[] = {0, 4, 7};
    for (size_t i = 0; i < sizeof wrong_guards / sizeof wrong_guards[0]; i++) {
        vesper_word address = second_level(&t, wrong_guards[i], ENDPOINT_INDEX);
        assert_lookup_fails(cspace_lookup_slot(t.flat_cap, address, SECOND_LEVEL_DEPTH),
                            VESPER_LOOKUP_GUARD_MISMATCH, NODE_LEVEL_BITS);
        struct vesper_syscall_frame frame;
        /* As the target... */
        assert_int_equal(TEST_CALL_FRAME(&frame, t.flat, cnode_delete, address, SECOND_LEVEL_DEPTH),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, NODE_LEVEL_BITS, 0);
        /* ...and as the source. */
        assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, free_slot(3), 64, t.flat,
                                         address, SECOND_LEVEL_DEPTH, VESPER_RIGHTS_ALL),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, NODE_LEVEL_BITS, 1);
    }
    assert_int_equal(cap_type(t.node_slots[ENDPOINT_INDEX].cap), CAP_ENDPOINT);
    assert_true(cap_is_null(test_root_slot(free_slot(3))->cap));
    /* A depth that cannot hold the second level's guard is a guard
     * mismatch too, reported with the bits that were left. */
    assert_lookup_fails(cspace_lookup_slot(t.flat_cap, t.guarded << 2, VESPER_ROOT_CNODE_RADIX + 2),
                        VESPER_LOOKUP_GUARD_MISMATCH, 2);
    assert_invariants();
}

static void CSPACE0009_second_level_depth_mismatch(void **state)
{
    (void)state;
    struct two_levels t = two_levels_make();
    vesper_word address = second_level(&t, NODE_GUARD, ENDPOINT_INDEX);
    /* Too small: the guard fits but the index does not. */
    for (unsigned short_by = 1; short_by < NODE_RADIX; short_by++) {
        unsigned left = NODE_LEVEL_BITS - short_by;
        assert_lookup_fails(cspace_lookup_slot(t.flat_cap, address >> short_by,
                                               SECOND_LEVEL_DEPTH - short_by),
                            VESPER_LOOKUP_DEPTH_MISMATCH, left);
    }
    /* Too large: bits remain at the endpoint's slot. */
    assert_lookup_fails(cspace_lookup_slot(t.flat_cap, address << 2, SECOND_LEVEL_DEPTH + 2),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 2);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, t.flat, cnode_delete, address >> 1,
                                     SECOND_LEVEL_DEPTH - 1),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, NODE_LEVEL_BITS - 1, 0);
    assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, free_slot(3), 64, t.flat,
                                     address << 5, SECOND_LEVEL_DEPTH + 5, VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_DEPTH_MISMATCH, 5, 1);
    assert_int_equal(cap_type(t.node_slots[ENDPOINT_INDEX].cap), CAP_ENDPOINT);
    assert_invariants();
}

/* A third CNode inside the second: three levels, 10 + 7 + 2 bits. Retype
 * reaches it with its node index and depth. */
static void CSPACE0010_three_levels(void **state)
{
    (void)state;
    struct two_levels t = two_levels_make();
    vesper_word inner = second_level(&t, NODE_GUARD, 2);
    retype_into(VESPER_OBJECT_CNODE, 2, t.guarded, 2);
    retype_at(VESPER_OBJECT_NOTIFICATION, 0, t.flat, inner, SECOND_LEVEL_DEPTH, 1);
    struct cte *third = cnode_slots(t.node_slots[2].cap);
    assert_int_equal(cap_type(third[1].cap), CAP_NOTIFICATION);

    struct lookup r = cspace_lookup_slot(t.flat_cap, inner << 2 | 1, SECOND_LEVEL_DEPTH + 2);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &third[1]);
    r = cspace_lookup_slot(t.flat_cap, inner, SECOND_LEVEL_DEPTH);
    assert_ptr_equal(r.slot, &t.node_slots[2]);
    assert_lookup_fails(cspace_lookup_slot(t.flat_cap, inner << 1, SECOND_LEVEL_DEPTH + 1),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 1);
    assert_lookup_fails(cspace_lookup_slot(t.flat_cap, inner << 3 | 2, SECOND_LEVEL_DEPTH + 3),
                        VESPER_LOOKUP_DEPTH_MISMATCH, 1);
    /* Move the notification from the third level to the root. */
    vesper_word dest = free_slot(4);
    assert_int_equal(TEST_CALL(ROOT, cnode_move, dest, 64, t.flat, inner << 2 | 1,
                               SECOND_LEVEL_DEPTH + 2),
                     VESPER_OK);
    assert_true(cap_is_null(third[1].cap));
    assert_int_equal(cap_type(test_root_slot(dest)->cap), CAP_NOTIFICATION);
    assert_invariants();
}

/* A guard as wide as the address: one CNode capability whose 60-bit guard
 * and 4-bit radix take all 64 bits. */
static void CSPACE0011_guard_of_60_bits(void **state)
{
    (void)state;
    const vesper_word guard = UINT64_C(0x0a5a5a5a5a5a5a5) & ((UINT64_C(1) << 58) - 1);
    vesper_word node = free_slot(0), guarded = free_slot(1);
    retype_into(VESPER_OBJECT_CNODE, 4, ROOT, node);
    /* Guards are at most 58 bits wide in Mint's data; a 60-bit guard with
     * its top two bits clear. */
    mint_in_root(guarded, node, vesper_cnode_guard(guard, 60));
    struct cap cap = test_root_slot(guarded)->cap;
    assert_int_equal(cnode_guard_size(cap), 60);
    assert_int_equal(cnode_guard(cap), guard);
    struct cte *slots = cnode_slots(cap);
    struct lookup r = cspace_lookup_slot(cap, guard << 4 | 9, 64);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, &slots[9]);
    r = cspace_lookup_invocation(cap, guard << 4 | 9);
    assert_ptr_equal(r.slot, &slots[9]);
    assert_lookup_fails(cspace_lookup_slot(cap, (guard ^ 1) << 4 | 9, 64),
                        VESPER_LOOKUP_GUARD_MISMATCH, 64);
    assert_lookup_fails(cspace_lookup_slot(cap, (UINT64_C(1) << 63) | guard << 4 | 9, 64),
                        VESPER_LOOKUP_GUARD_MISMATCH, 64);
    assert_lookup_fails(cspace_lookup_slot(cap, guard << 3, 63), VESPER_LOOKUP_DEPTH_MISMATCH, 63);
    assert_invariants();
}

/* The root domain's CSpace replaced by a copy of its CNode with a 44-bit
 * guard: the root level now takes 54 bits and the last 10 go into a second
 * CNode whose guard and radix take exactly 10. Invocations resolve both. */
static void CSPACE0012_invocations_resolve_two_levels(void **state)
{
    (void)state;
    const vesper_word guard = 0x2a;
    vesper_word cspace = free_slot(0), node = free_slot(1), guarded = free_slot(2);
    mint_in_root(cspace, ROOT, vesper_cnode_guard(0, 44));
    retype_into(VESPER_OBJECT_CNODE, 4, ROOT, node);
    mint_in_root(guarded, node, vesper_cnode_guard(guard, 6));
    retype_into(VESPER_OBJECT_ENDPOINT, 0, guarded, 3);
    struct cap endpoint = cnode_slots(test_root_slot(node)->cap)[3].cap;
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_configure, cspace,
                               VESPER_ROOT_SLOT_PDOM, 0),
                     VESPER_OK);
    assert_int_equal(cnode_guard_size(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap), 44);

    struct vesper_syscall_frame frame;
    assert_int_equal(identify(guarded << 10 | guard << 4 | 3, &frame), VESPER_OK);
    assert_int_equal(identified_type(&frame), CAP_ENDPOINT);
    assert_int_equal(frame.arg[4], cap_address(endpoint));
    /* A root slot is now its number shifted past the last 10 bits; bits
     * left over at a slot without a CNode are ignored. */
    assert_int_equal(identify(VESPER_ROOT_SLOT_PDOM << 10, &frame), VESPER_OK);
    assert_int_equal(identified_type(&frame), CAP_PDOM);
    assert_int_equal(identify(VESPER_ROOT_SLOT_PDOM << 10 | 0x3ff, &frame), VESPER_OK);
    assert_int_equal(identified_type(&frame), CAP_PDOM);
    /* The wrong guard at the second level. */
    assert_int_equal(identify(guarded << 10 | (guard ^ 0x10) << 4 | 3, &frame),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 10, 0);
    /* The old slot numbers now name slot 0, which is empty. */
    assert_int_equal(identify(VESPER_ROOT_SLOT_PDOM, &frame), VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(frame.arg[1], 0);
    /* Resolution goes on into a CNode while bits remain: the root CNode's
     * own capability, with its 54-bit guard, cannot take the last 10. */
    assert_int_equal(identify(ROOT << 10, &frame), VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 10, 0);
    /* A guard bit set in the root level. */
    assert_int_equal(identify((vesper_word)1 << 60 | VESPER_ROOT_SLOT_PDOM << 10, &frame),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
    assert_invariants();
}

/* Revoking the root CNode capability deletes the copy the root domain
 * uses as its CSpace root: every later invocation has no root. */
static void CSPACE0013_no_cspace_root_is_an_invalid_root(void **state)
{
    (void)state;
    struct cte *root_slot = test_root_slot(ROOT);
    assert_int_equal(TEST_CALL(ROOT, cnode_revoke, ROOT, 64), VESPER_OK);
    assert_true(cap_is_null(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap));
    assert_int_equal(cap_type(root_slot->cap), CAP_CNODE);
    struct vesper_syscall_frame frame;
    assert_int_equal(identify(ROOT, &frame), VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 64, 0);
    assert_lookup_fails(cspace_lookup_invocation(cap_null(), ROOT), VESPER_LOOKUP_INVALID_ROOT, 64);
    assert_invariants();
}

/* The same through Configure with an empty slot as the CSpace. */
static void CSPACE0014_configured_without_cspace(void **state)
{
    (void)state;
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_configure, 0,
                               VESPER_ROOT_SLOT_PDOM, 0),
                     VESPER_OK);
    assert_true(cap_is_null(kernel.root->slots[DOMAIN_SLOT_CSPACE].cap));
    struct vesper_syscall_frame frame;
    assert_int_equal(identify(VESPER_ROOT_SLOT_PDOM, &frame), VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 64, 0);
    assert_invariants();
}

/* A relative lookup whose root names no CNode, and a lookup from a
 * capability that is not a CNode. */
static void CSPACE0015_relative_root_not_a_cnode(void **state)
{
    (void)state;
    static const vesper_word roots[] = {VESPER_ROOT_SLOT_PDOM, VESPER_ROOT_SLOT_IRQ_CONTROL, 0};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, free_slot(0), 64, roots[i],
                                         VESPER_ROOT_SLOT_PDOM, 64, VESPER_RIGHTS_ALL),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_failed_lookup(&frame, VESPER_LOOKUP_INVALID_ROOT, 0, 1);
    }
    struct cap pdom = test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap;
    assert_lookup_fails(cspace_lookup_slot(pdom, 0, 10), VESPER_LOOKUP_INVALID_ROOT, 10);
    assert_lookup_fails(cspace_lookup_invocation(pdom, 0), VESPER_LOOKUP_INVALID_ROOT, 64);
    assert_true(cap_is_null(test_root_slot(free_slot(0))->cap));
    assert_invariants();
}

/* The root of a relative lookup is itself found by an invocation lookup,
 * which can fail on its guard. */
static void CSPACE0016_relative_root_lookup_fails(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, free_slot(0), 64,
                                     (vesper_word)1 << 40 | ROOT, VESPER_ROOT_SLOT_PDOM, 64,
                                     VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    assert_true(cap_is_null(test_root_slot(free_slot(0))->cap));
    assert_invariants();
}

/* A slot lookup may find an empty slot; using it as a source fails with a
 * missing capability, and invoking it names the invoked capability. */
static void CSPACE0017_missing_capability(void **state)
{
    (void)state;
    vesper_word empty = free_slot(7);
    struct lookup r = cspace_lookup_slot(root_cap(), empty, 64);
    assert_int_equal(r.error, VESPER_OK);
    assert_ptr_equal(r.slot, test_root_slot(empty));
    assert_true(cap_is_null(r.slot->cap));

    struct vesper_syscall_frame frame;
    assert_int_equal(identify(empty, &frame), VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(frame.arg[1], 0);
    assert_int_equal(TEST_CALL_FRAME(&frame, ROOT, cnode_copy, free_slot(0), 64, ROOT, empty, 64,
                                     VESPER_RIGHTS_ALL),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    /* Retype into a CNode named by a slot that holds no CNode. */
    vesper_word untyped = test_bootinfo()->untyped_first;
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     ROOT, empty, 64, 0, 1),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_failed_lookup(&frame, VESPER_LOOKUP_MISSING_CAPABILITY, 0, 1);
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(CSPACE0001_root_cptr_is_the_slot_number, test_boot),
        cmocka_unit_test_setup(CSPACE0002_invocation_with_guard_bits_set_fails, test_boot),
        cmocka_unit_test_setup(CSPACE0003_depth_zero_or_above_64_is_out_of_range, test_boot),
        cmocka_unit_test_setup(CSPACE0004_depth_short_of_the_root_level, test_boot),
        cmocka_unit_test_setup(CSPACE0005_depth_past_a_non_cnode_slot, test_boot),
        cmocka_unit_test_setup(CSPACE0006_two_levels_by_direct_lookup, test_boot),
        cmocka_unit_test_setup(CSPACE0007_two_levels_through_cnode_invocations, test_boot),
        cmocka_unit_test_setup(CSPACE0008_second_level_guard_mismatch, test_boot),
        cmocka_unit_test_setup(CSPACE0009_second_level_depth_mismatch, test_boot),
        cmocka_unit_test_setup(CSPACE0010_three_levels, test_boot),
        cmocka_unit_test_setup(CSPACE0011_guard_of_60_bits, test_boot),
        cmocka_unit_test_setup(CSPACE0012_invocations_resolve_two_levels, test_boot),
        cmocka_unit_test_setup(CSPACE0013_no_cspace_root_is_an_invalid_root, test_boot),
        cmocka_unit_test_setup(CSPACE0014_configured_without_cspace, test_boot),
        cmocka_unit_test_setup(CSPACE0015_relative_root_not_a_cnode, test_boot),
        cmocka_unit_test_setup(CSPACE0016_relative_root_lookup_fails, test_boot),
        cmocka_unit_test_setup(CSPACE0017_missing_capability, test_boot),
    };
    return cmocka_run_group_tests_name("cspace", tests, NULL, NULL);
}
