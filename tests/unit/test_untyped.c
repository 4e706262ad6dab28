/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Untyped Retype: every retypable type, placement at the watermark aligned
 * to the object's size, zeroing, several objects in one call, the fan-out
 * limit, device Untyped, reuse once every child is gone, and each error
 * Retype can answer, with its detail words and no change of state.
 */
#include <string.h>

#include "cdt.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

#define JUNK 0xa5

/* The watermark as VESPER_SYS_DEBUG_IDENTIFY reports it, checked against the
 * capability the kernel holds. */
static vesper_word watermark_of(vesper_word untyped)
{
    struct vesper_syscall_frame frame;
    assert_int_equal(test_identify(&frame, untyped), VESPER_OK);
    assert_int_equal(frame.arg[2] & 0xff, VESPER_OBJECT_UNTYPED);
    assert_int_equal(frame.arg[5], untyped_watermark(slot_cap(untyped)));
    return frame.arg[5];
}

static uintptr_t base_of(vesper_word untyped)
{
    return cap_address(slot_cap(untyped));
}

static uint64_t size_of(vesper_word untyped)
{
    return UINT64_C(1) << untyped_size_bits(slot_cap(untyped));
}

/* A fresh object from untyped in slot: the right type and rights, inside
 * the region, aligned to its size, below the watermark, a child of the
 * Untyped. */
static void assert_new_object(vesper_word untyped, vesper_word slot, enum cap_type type,
                              unsigned bits)
{
    struct cap cap = slot_cap(slot);
    assert_int_equal(cap_type(cap), type);
    assert_int_equal(cap_object_bits(cap), bits);
    assert_int_equal(cap_rights(cap), VESPER_RIGHTS_ALL);
    assert_int_equal(cap_address(cap) % (UINT64_C(1) << bits), 0);
    assert_true(cap_address(cap) >= base_of(untyped));
    uint64_t end = cap_address(cap) + (UINT64_C(1) << bits);
    assert_true(end <= base_of(untyped) + watermark_of(untyped));
    assert_true(cdt_is_parent_of(test_root_slot(untyped), test_root_slot(slot)));
}

/* The object's memory is zero apart from its header's type word. */
static void assert_zeroed(struct cap cap)
{
    size_t size = (size_t)1 << cap_object_bits(cap);
    unsigned char *bytes = object_bytes(cap);
    size_t skip = 0;
    if (object_header_of(cap) != NULL) {
        assert_int_equal(header_type(cap), cap_type(cap));
        skip = sizeof(uint32_t);
    }
    assert_true(all_zero(bytes + skip, size - skip));
}

/* Retype one object of type from an Untyped whose objects filled it with
 * junk and are gone, and check it. Returns its slot. */
static vesper_word retype_one_and_check(enum cap_type type, vesper_word size_bits, unsigned bits)
{
    vesper_word untyped = largest_untyped();
    fill_untyped(untyped, JUNK);
    vesper_word slot = make_object_from(untyped, type, size_bits);
    assert_new_object(untyped, slot, type, bits);
    assert_int_equal(cap_address(slot_cap(slot)), base_of(untyped));
    assert_int_equal(watermark_of(untyped), UINT64_C(1) << bits);
    assert_zeroed(slot_cap(slot));
    /* Starting again zeroed the whole region: it stays zero above the
     * watermark. */
    size_t rest = ((size_t)1 << untyped_size_bits(slot_cap(untyped))) - ((size_t)1 << bits);
    assert_true(all_zero(hal_kernel_view(base_of(untyped) + (UINT64_C(1) << bits), rest), rest));
    assert_invariants();
    return slot;
}

/* The state an error must leave alone. */
struct snapshot {
    vesper_word untyped;
    vesper_word watermark;
    vesper_word dest;
};

static struct snapshot snapshot(vesper_word untyped, vesper_word dest)
{
    struct snapshot s = {untyped, untyped_watermark(slot_cap(untyped)), dest};
    return s;
}

static void assert_unchanged(const struct snapshot *s)
{
    assert_int_equal(untyped_watermark(slot_cap(s->untyped)), s->watermark);
    assert_true(cap_is_null(slot_cap(s->dest)));
    assert_invariants();
}

static void RETYPE0001_untyped_child(void **state)
{
    (void)state;
    vesper_word parent = largest_untyped();
    fill_untyped(parent, JUNK);
    vesper_word child = make_object_from(parent, VESPER_OBJECT_UNTYPED, 12);
    assert_new_object(parent, child, CAP_UNTYPED, 12);
    struct cap cap = slot_cap(child);
    assert_int_equal(cap_address(cap), base_of(parent));
    assert_int_equal(untyped_watermark(cap), 0);
    assert_false(untyped_is_device(cap));
    assert_int_equal(watermark_of(parent), 4096);
    /* The parent's reset zeroed its region, so the child's is zero. */
    assert_true(all_zero(object_bytes(cap), 4096));
    vesper_word ep = make_object_from(child, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), base_of(child));
    assert_zeroed(slot_cap(ep));
    assert_int_equal(watermark_of(child), 32);
    assert_invariants();
}

static void RETYPE0002_cnode_of_several_radixes(void **state)
{
    (void)state;
    static const unsigned radixes[] = {1, 2, 4, 8, 10};
    vesper_word untyped = largest_untyped();
    fill_untyped(untyped, JUNK);
    for (size_t i = 0; i < sizeof radixes / sizeof radixes[0]; i++) {
        vesper_word slot = make_object_from(untyped, VESPER_OBJECT_CNODE, radixes[i]);
        struct cap cap = slot_cap(slot);
        assert_new_object(untyped, slot, CAP_CNODE, radixes[i] + VESPER_SLOT_BITS);
        assert_int_equal(cnode_radix(cap), radixes[i]);
        assert_int_equal(cnode_guard_size(cap), 0);
        assert_int_equal(cnode_guard(cap), 0);
        struct cte *slots = cnode_slots(cap);
        for (size_t s = 0; s < ((size_t)1 << radixes[i]); s++) {
            assert_true(cap_is_null(slots[s].cap));
            assert_int_equal(slots[s].mdb.prev, 0);
            assert_int_equal(slots[s].mdb.next, 0);
        }
    }
    assert_invariants();
}

static void RETYPE0003_domain(void **state)
{
    (void)state;
    vesper_word slot = retype_one_and_check(CAP_DOMAIN, 0, VESPER_DOMAIN_BITS);
    struct domain *d = object_bytes(slot_cap(slot));
    assert_int_equal(d->state, DOMAIN_INACTIVE);
    for (int i = 0; i < DOMAIN_SLOT_COUNT; i++)
        assert_true(cap_is_null(d->slots[i].cap));
}

static void RETYPE0004_endpoint(void **state)
{
    (void)state;
    retype_one_and_check(CAP_ENDPOINT, 0, VESPER_ENDPOINT_BITS);
}

static void RETYPE0005_notification(void **state)
{
    (void)state;
    retype_one_and_check(CAP_NOTIFICATION, 0, VESPER_NOTIFICATION_BITS);
}

static void RETYPE0006_reply(void **state)
{
    (void)state;
    retype_one_and_check(CAP_REPLY, 0, VESPER_REPLY_BITS);
}

static void RETYPE0007_frame_4k(void **state)
{
    (void)state;
    vesper_word slot = retype_one_and_check(CAP_FRAME_4K, 0, VESPER_FRAME_4K_BITS);
    assert_false(frame_is_device(slot_cap(slot)));
}

static void RETYPE0008_pdom_and_page_table(void **state)
{
    (void)state;
    retype_one_and_check(CAP_PDOM, 0, VESPER_PDOM_BITS);
    vesper_word untyped = largest_untyped();
    vesper_word table = make_object_from(untyped, VESPER_OBJECT_PAGE_TABLE, 0);
    assert_new_object(untyped, table, CAP_PAGE_TABLE, VESPER_PAGE_TABLE_BITS);
    assert_zeroed(slot_cap(table));
    assert_invariants();
}

/* The test machine has 1 MiB of RAM: no Untyped holds a 2 MiB frame, and
 * Retype says so rather than making one. */
static void RETYPE0009_frame_2m_needs_more_memory_than_the_machine_has(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    assert_true(size_of(untyped) < (UINT64_C(1) << VESPER_FRAME_2M_BITS));
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_FRAME_2M, 0, dest, 1),
                     VESPER_ERR_NOT_ENOUGH_MEMORY);
    uint64_t end = base_of(untyped) + size_of(untyped);
    uint64_t first = (base_of(untyped) + (UINT64_C(1) << 21) - 1) & ~((UINT64_C(1) << 21) - 1);
    assert_int_equal(frame.arg[1], first < end ? end - first : 0);
    assert_unchanged(&before);
}

/* Each object goes at the watermark rounded up to its own size; the
 * watermark never moves back while children remain. */
static void RETYPE0010_objects_are_aligned_at_the_watermark(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    uintptr_t base = base_of(untyped);
    vesper_word ep = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), base);
    assert_int_equal(watermark_of(untyped), 32);
    vesper_word ntfn = make_object_from(untyped, VESPER_OBJECT_NOTIFICATION, 0);
    assert_int_equal(cap_address(slot_cap(ntfn)), base + 64);
    assert_int_equal(watermark_of(untyped), 128);
    vesper_word frame = make_object_from(untyped, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(frame)), base + 4096);
    assert_int_equal(watermark_of(untyped), 8192);
    vesper_word domain = make_object_from(untyped, VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(cap_address(slot_cap(domain)), base + 8192);
    assert_int_equal(watermark_of(untyped), 8192 + 2048);
    vesper_word cnode = make_object_from(untyped, VESPER_OBJECT_CNODE, 9); /* 16 KiB */
    assert_int_equal(cap_address(slot_cap(cnode)), base + 16384);
    assert_int_equal(watermark_of(untyped), 32768);
    vesper_word reply = make_object_from(untyped, VESPER_OBJECT_REPLY, 0);
    assert_int_equal(cap_address(slot_cap(reply)), base + 32768);
    assert_int_equal(watermark_of(untyped), 32768 + 32);
    assert_invariants();
}

static void RETYPE0011_count_fills_consecutive_slots(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    fill_untyped(untyped, JUNK);
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_NOTIFICATION, 0, dest, 5), VESPER_OK);
    for (vesper_word i = 0; i < 5; i++) {
        struct cap cap = slot_cap(dest + i);
        assert_new_object(untyped, dest + i, CAP_NOTIFICATION, VESPER_NOTIFICATION_BITS);
        assert_int_equal(cap_address(cap), base_of(untyped) + 64 * i);
        assert_zeroed(cap);
    }
    assert_true(cap_is_null(slot_cap(dest + 5)));
    assert_int_equal(watermark_of(untyped), 5 * 64);
    assert_invariants();
}

static void RETYPE0012_fan_out_of_256_is_the_limit(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, dest,
                                 VESPER_RETYPE_FANOUT_MAX),
                     VESPER_OK);
    for (vesper_word i = 0; i < VESPER_RETYPE_FANOUT_MAX; i++) {
        assert_int_equal(cap_type(slot_cap(dest + i)), CAP_ENDPOINT);
        assert_int_equal(cap_address(slot_cap(dest + i)), base_of(untyped) + 32 * i);
    }
    assert_int_equal(watermark_of(untyped), 32 * VESPER_RETYPE_FANOUT_MAX);
    assert_invariants();
}

static void RETYPE0013_count_outside_the_fan_out_is_a_range_error(void **state)
{
    (void)state;
    static const vesper_word counts[] = {0, VESPER_RETYPE_FANOUT_MAX + 1, UINT64_MAX};
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_ENDPOINT, 0, dest, counts[i]),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], 1);
        assert_int_equal(frame.arg[2], VESPER_RETYPE_FANOUT_MAX);
        assert_unchanged(&before);
    }
}

static void RETYPE0014_truncated_message(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    const struct vesper_invocation_msg m =
        vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT_CNODE, 0, 0, dest, 1);
    for (unsigned length = 0; length < m.length; length++) {
        assert_int_equal(test_invoke(NULL, untyped, m.label, length, m.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
        assert_unchanged(&before);
    }
}

static void RETYPE0015_bad_type_is_invalid_argument_0(void **state)
{
    (void)state;
    static const vesper_word types[] = {
        VESPER_OBJECT_NULL, VESPER_OBJECT_IRQ_CONTROL, VESPER_OBJECT_IRQ_HANDLER,
        VESPER_OBJECT_SCHED_CONTROL, CAP_ZOMBIE, 64, UINT64_MAX};
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(retype_into(&frame, untyped, types[i], 0, dest, 1),
                         VESPER_ERR_INVALID_ARGUMENT);
        assert_int_equal(frame.arg[1], 0);
        assert_unchanged(&before);
    }
}

static void RETYPE0016_untyped_size_bits_out_of_range(void **state)
{
    (void)state;
    static const vesper_word sizes[] = {0, VESPER_UNTYPED_MIN_BITS - 1,
                                        VESPER_UNTYPED_MAX_BITS + 1, 64};
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_UNTYPED, sizes[i], dest, 1),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], VESPER_UNTYPED_MIN_BITS);
        assert_int_equal(frame.arg[2], VESPER_UNTYPED_MAX_BITS);
        assert_unchanged(&before);
    }
    /* The smallest Untyped is fine. */
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_UNTYPED, VESPER_UNTYPED_MIN_BITS,
                                 dest, 1),
                     VESPER_OK);
    assert_int_equal(untyped_size_bits(slot_cap(dest)), VESPER_UNTYPED_MIN_BITS);
    assert_invariants();
}

static void RETYPE0017_cnode_radix_out_of_range(void **state)
{
    (void)state;
    static const vesper_word radixes[] = {0, VESPER_CNODE_RADIX_MAX + 1, 64};
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    for (size_t i = 0; i < sizeof radixes / sizeof radixes[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_CNODE, radixes[i], dest, 1),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], VESPER_CNODE_RADIX_MIN);
        assert_int_equal(frame.arg[2], VESPER_CNODE_RADIX_MAX);
        assert_unchanged(&before);
    }
}

/* Types with a fixed size ignore the size argument. */
static void RETYPE0018_fixed_size_types_ignore_size_bits(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word slot = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 40);
    assert_int_equal(cap_object_bits(slot_cap(slot)), VESPER_ENDPOINT_BITS);
    assert_int_equal(watermark_of(untyped), 32);
    assert_invariants();
}

static void RETYPE0019_destination_root_not_a_cnode(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    const vesper_word roots[] = {ep, dest, VESPER_ROOT_SLOT_NULL, VESPER_ROOT_SLOT_DOMAIN, untyped};
    for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                         roots[i], 0, 0, dest, 1),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_int_equal(frame.arg[1], VESPER_LOOKUP_INVALID_ROOT);
        assert_int_equal(frame.arg[3], 1);
        assert_unchanged(&before);
    }
}

static void RETYPE0020_destination_root_lookup_fails(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    /* Bits above the root CNode's radix must match its (zero) guard. */
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     (vesper_word)1 << 20, 0, 0, dest, 1),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    assert_unchanged(&before);
}

static void RETYPE0021_destination_node_not_a_cnode(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    const vesper_word nodes[] = {ep, dest, untyped};
    for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                         ROOT_CNODE, nodes[i], 64, 0, 1),
                         VESPER_ERR_FAILED_LOOKUP);
        assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_MISSING_CAPABILITY, 0,
                           1);
        assert_unchanged(&before);
    }
}

static void RETYPE0022_destination_node_lookup_fails(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    /* 32 bits cannot get past the root CNode's 54-bit guard. */
    struct vesper_invocation_msg m =
        vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT_CNODE, ROOT_CNODE, 32, dest, 1);
    assert_int_equal(test_invoke_msg(&frame, untyped, m), VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 32, 1);
    assert_unchanged(&before);
    /* A depth beyond 64 bits is a range error. */
    m.word[VESPER_UNTYPED_RETYPE_WORD_NODE_DEPTH] = 65;
    assert_int_equal(test_invoke_msg(&frame, untyped, m), VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 0);
    assert_int_equal(frame.arg[2], 64);
    assert_unchanged(&before);
}

/* The destination CNode named either as the root (depth 0) or through
 * node index and depth. */
static void RETYPE0023_into_another_cnode(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word cnode = make_object_from(untyped, VESPER_OBJECT_CNODE, 3);
    struct cte *slots = cnode_slots(slot_cap(cnode));
    assert_int_equal(TEST_CALL(untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0, cnode, 0, 0, 2,
                               3), VESPER_OK);
    assert_int_equal(TEST_CALL(untyped, untyped_retype, VESPER_OBJECT_NOTIFICATION, 0, ROOT_CNODE,
                               cnode, 64, 7, 1), VESPER_OK);
    for (unsigned i = 0; i < 8; i++) {
        enum cap_type want = i >= 2 && i < 5 ? CAP_ENDPOINT : i == 7 ? CAP_NOTIFICATION : CAP_NULL;
        assert_int_equal(cap_type(slots[i].cap), want);
        if (want != CAP_NULL)
            assert_true(cdt_is_parent_of(test_root_slot(untyped), &slots[i]));
    }
    assert_invariants();
}

static void RETYPE0024_offset_past_the_cnode(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word small = make_object_from(untyped, VESPER_OBJECT_CNODE, 2);
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     ROOT_CNODE, 0, 0, 1024, 1),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 0);
    assert_int_equal(frame.arg[2], 1023);
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     small, 0, 0, 4, 1),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 0);
    assert_int_equal(frame.arg[2], 3);
    assert_unchanged(&before);
}

static void RETYPE0025_count_past_the_cnode(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word small = make_object_from(untyped, VESPER_OBJECT_CNODE, 2);
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     ROOT_CNODE, 0, 0, 1020, 5),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 1);
    assert_int_equal(frame.arg[2], 4);
    assert_int_equal(TEST_CALL_FRAME(&frame, untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0,
                                     small, 0, 0, 1, 4),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 1);
    assert_int_equal(frame.arg[2], 3);
    for (unsigned i = 0; i < 4; i++)
        assert_true(cap_is_null(cnode_slots(slot_cap(small))[i].cap));
    assert_true(cap_is_null(slot_cap(1020)));
    assert_unchanged(&before);
    /* Exactly to the end is fine. */
    assert_int_equal(TEST_CALL(untyped, untyped_retype, VESPER_OBJECT_ENDPOINT, 0, small, 0,
                               0, 1, 3),
                     VESPER_OK);
    assert_int_equal(cap_type(cnode_slots(slot_cap(small))[3].cap), CAP_ENDPOINT);
    assert_invariants();
}

static void RETYPE0026_occupied_destination_is_delete_first(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word run = next_empty_slot();
    vesper_word ep = run + 3;
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, ep, 1), VESPER_OK);
    vesper_word watermark = watermark_of(untyped);
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, ep, 1),
                     VESPER_ERR_DELETE_FIRST);
    /* A run whose last slot is taken changes nothing, not even its first. */
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, run, 4),
                     VESPER_ERR_DELETE_FIRST);
    for (vesper_word i = run; i < ep; i++)
        assert_true(cap_is_null(slot_cap(i)));
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0,
                                 VESPER_ROOT_SLOT_DOMAIN, 1),
                     VESPER_ERR_DELETE_FIRST);
    assert_int_equal(watermark_of(untyped), watermark);
    assert_int_equal(cap_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_int_equal(cap_address(slot_cap(ep)), base_of(untyped));
    assert_invariants();
}

/* Bytes left in [base + used rounded up to 2^bits, end), as Retype says. */
static vesper_word bytes_left(vesper_word untyped, unsigned bits)
{
    uint64_t align = UINT64_C(1) << bits;
    uint64_t end = base_of(untyped) + size_of(untyped);
    uint64_t first = (base_of(untyped) + untyped_watermark(slot_cap(untyped)) + align - 1) &
                     ~(align - 1);
    return first < end ? end - first : 0;
}

static void RETYPE0027_not_enough_memory(void **state)
{
    (void)state;
    vesper_word untyped = untyped_of_bits(14);
    if (untyped == 0)
        skip(); /* the layout of this machine has no 16 KiB Untyped */
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    struct vesper_syscall_frame frame;
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_FRAME_4K, 0, dest, 5),
                     VESPER_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(frame.arg[1], 16384);
    assert_unchanged(&before);
    /* An object larger than the region. */
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_UNTYPED, 15, dest, 1),
                     VESPER_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(frame.arg[1], bytes_left(untyped, 15));
    assert_unchanged(&before);
    /* After one endpoint, four frames no longer fit; three do. */
    make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    dest = next_empty_slot();
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_FRAME_4K, 0, dest, 4),
                     VESPER_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(frame.arg[1], 12288);
    assert_int_equal(watermark_of(untyped), 32);
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_FRAME_4K, 0, dest, 3), VESPER_OK);
    assert_int_equal(watermark_of(untyped), 16384);
    /* Full: not even the smallest object fits. */
    dest = next_empty_slot();
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_REPLY, 0, dest, 1),
                     VESPER_ERR_NOT_ENOUGH_MEMORY);
    assert_int_equal(frame.arg[1], 0);
    assert_true(cap_is_null(slot_cap(dest)));
    assert_invariants();
}

static void RETYPE0028_device_untyped_makes_only_frames_and_untyped(void **state)
{
    (void)state;
    static const vesper_word refused[][2] = {
        {VESPER_OBJECT_CNODE, 2},   {VESPER_OBJECT_DOMAIN, 0}, {VESPER_OBJECT_ENDPOINT, 0},
        {VESPER_OBJECT_NOTIFICATION, 0}, {VESPER_OBJECT_REPLY, 0}, {VESPER_OBJECT_PDOM, 0},
        {VESPER_OBJECT_PAGE_TABLE, 0},
    };
    vesper_word device = make_device_untyped(14);
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(device, dest);
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        assert_int_equal(retype_into(NULL, device, refused[i][0], refused[i][1], dest, 1),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_unchanged(&before);
    }
}

static void RETYPE0029_device_frames_are_not_zeroed(void **state)
{
    (void)state;
    vesper_word device = make_device_untyped(14);
    fill_untyped(device, JUNK);
    vesper_word frame_slot = make_object_from(device, VESPER_OBJECT_FRAME_4K, 0);
    struct cap frame = slot_cap(frame_slot);
    assert_new_object(device, frame_slot, CAP_FRAME_4K, VESPER_FRAME_4K_BITS);
    assert_true(frame_is_device(frame));
    const unsigned char *bytes = object_bytes(frame);
    for (size_t i = 0; i < 4096; i++)
        assert_int_equal(bytes[i], JUNK);
    struct vesper_syscall_frame reply;
    assert_int_equal(test_invoke_msg(&reply, frame_slot, vesper_frame_get_address_msg()),
                     VESPER_OK);
    assert_int_equal(vesper_frame_get_address_result(&reply.arg[2]).device, 1);
    /* A device Untyped's child Untyped is device memory too. */
    vesper_word child = make_object_from(device, VESPER_OBJECT_UNTYPED, 12);
    assert_true(untyped_is_device(slot_cap(child)));
    assert_int_equal(untyped_size_bits(slot_cap(child)), 12);
    assert_int_equal(retype_into(NULL, child, VESPER_OBJECT_ENDPOINT, 0, next_empty_slot(), 1),
                     VESPER_ERR_ILLEGAL_OPERATION);
    vesper_word grandchild = make_object_from(child, VESPER_OBJECT_FRAME_4K, 0);
    assert_true(frame_is_device(slot_cap(grandchild)));
    assert_invariants();
}

static void RETYPE0030_unknown_label_is_illegal(void **state)
{
    (void)state;
    static const vesper_word labels[] = {0, VESPER_CNODE_COPY, VESPER_DOMAIN_CONFIGURE,
                                         VESPER_FRAME_GET_ADDRESS, 16, 0xfffff};
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    struct snapshot before = snapshot(untyped, dest);
    const struct vesper_invocation_msg m =
        vesper_untyped_retype_msg(VESPER_OBJECT_ENDPOINT, 0, ROOT_CNODE, 0, 0, dest, 1);
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        assert_int_equal(test_invoke(NULL, untyped, labels[i], m.length, m.word),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_unchanged(&before);
    }
}

static void RETYPE0031_reuse_after_every_child_is_deleted(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, dest, 3), VESPER_OK);
    for (vesper_word i = 0; i < 3; i++)
        assert_int_equal(delete_slot(dest + i), VESPER_OK);
    assert_false(cdt_has_children(test_root_slot(untyped)));
    fill_untyped(untyped, JUNK);
    vesper_word frame = make_object_from(untyped, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(frame)), base_of(untyped));
    assert_int_equal(watermark_of(untyped), 4096);
    assert_zeroed(slot_cap(frame));
    assert_invariants();
}

static void RETYPE0032_reuse_after_revoke(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_NOTIFICATION, 0, dest, 4), VESPER_OK);
    make_object_from(untyped, VESPER_OBJECT_CNODE, 4);
    assert_int_equal(revoke_slot(untyped), VESPER_OK);
    for (vesper_word i = 0; i < 5; i++)
        assert_true(cap_is_null(slot_cap(dest + i)));
    vesper_word ep = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), base_of(untyped));
    assert_int_equal(watermark_of(untyped), 32);
    assert_invariants();
}

static void RETYPE0033_no_reuse_while_a_child_remains(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, dest, 3), VESPER_OK);
    assert_int_equal(delete_slot(dest), VESPER_OK);
    assert_int_equal(delete_slot(dest + 2), VESPER_OK);
    vesper_word ep = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), base_of(untyped) + 96);
    assert_int_equal(watermark_of(untyped), 128);
    assert_invariants();
}

/* A copy of an object keeps its memory in use after the original goes. */
static void RETYPE0034_no_reuse_while_a_copy_remains(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word ep = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    vesper_word copy = copy_cap(ep, VESPER_RIGHTS_ALL);
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_true(cdt_is_parent_of(test_root_slot(untyped), test_root_slot(copy)));
    vesper_word next = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(next)), base_of(untyped) + 32);
    assert_int_equal(header_type(slot_cap(copy)), CAP_ENDPOINT);
    assert_invariants();
}

/* Objects made from a child Untyped keep the parent's memory in use after
 * the child Untyped's capability is deleted. */
static void RETYPE0035_no_reuse_while_a_grandchild_remains(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word child = make_object_from(untyped, VESPER_OBJECT_UNTYPED, 12);
    vesper_word ep = make_object_from(child, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(delete_slot(child), VESPER_OK);
    assert_true(cdt_is_parent_of(test_root_slot(untyped), test_root_slot(ep)));
    vesper_word frame = make_object_from(untyped, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(frame)), base_of(untyped) + 4096);
    assert_int_equal(header_type(slot_cap(ep)), CAP_ENDPOINT);
    assert_invariants();
    /* Once the grandchild goes too, the region is free again. */
    assert_int_equal(delete_slot(ep), VESPER_OK);
    assert_int_equal(delete_slot(frame), VESPER_OK);
    vesper_word again = make_object_from(untyped, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(again)), base_of(untyped));
    assert_invariants();
}

/* Every boot Untyped can be filled with its own size of child Untyped. */
static void RETYPE0036_every_boot_untyped_retypes_whole(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        vesper_word slot = info->untyped_first + i;
        unsigned bits = (unsigned)info->untyped[i].size_bits;
        vesper_word child = make_object_from(slot, VESPER_OBJECT_UNTYPED, bits);
        assert_int_equal(cap_address(slot_cap(child)), info->untyped[i].base);
        assert_int_equal(watermark_of(slot), size_of(slot));
        assert_int_equal(retype_into(NULL, slot, VESPER_OBJECT_UNTYPED, VESPER_UNTYPED_MIN_BITS,
                                     next_empty_slot(), 1),
                         VESPER_ERR_NOT_ENOUGH_MEMORY);
    }
    assert_invariants();
}

/* Retype's last three words travel in the IPC buffer: without one, the
 * message is cut to the four register words. */
static void RETYPE0037_without_an_ipc_buffer_the_message_is_truncated(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_set_ipc_buffer, 0,
                               VESPER_ROOT_SLOT_NULL),
                     VESPER_OK);
    struct snapshot before = snapshot(untyped, dest);
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_ENDPOINT, 0, dest, 1),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_unchanged(&before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(RETYPE0001_untyped_child, test_boot),
        cmocka_unit_test_setup(RETYPE0002_cnode_of_several_radixes, test_boot),
        cmocka_unit_test_setup(RETYPE0003_domain, test_boot),
        cmocka_unit_test_setup(RETYPE0004_endpoint, test_boot),
        cmocka_unit_test_setup(RETYPE0005_notification, test_boot),
        cmocka_unit_test_setup(RETYPE0006_reply, test_boot),
        cmocka_unit_test_setup(RETYPE0007_frame_4k, test_boot),
        cmocka_unit_test_setup(RETYPE0008_pdom_and_page_table, test_boot),
        cmocka_unit_test_setup(RETYPE0009_frame_2m_needs_more_memory_than_the_machine_has,
                               test_boot),
        cmocka_unit_test_setup(RETYPE0010_objects_are_aligned_at_the_watermark, test_boot),
        cmocka_unit_test_setup(RETYPE0011_count_fills_consecutive_slots, test_boot),
        cmocka_unit_test_setup(RETYPE0012_fan_out_of_256_is_the_limit, test_boot),
        cmocka_unit_test_setup(RETYPE0013_count_outside_the_fan_out_is_a_range_error, test_boot),
        cmocka_unit_test_setup(RETYPE0014_truncated_message, test_boot),
        cmocka_unit_test_setup(RETYPE0015_bad_type_is_invalid_argument_0, test_boot),
        cmocka_unit_test_setup(RETYPE0016_untyped_size_bits_out_of_range, test_boot),
        cmocka_unit_test_setup(RETYPE0017_cnode_radix_out_of_range, test_boot),
        cmocka_unit_test_setup(RETYPE0018_fixed_size_types_ignore_size_bits, test_boot),
        cmocka_unit_test_setup(RETYPE0019_destination_root_not_a_cnode, test_boot),
        cmocka_unit_test_setup(RETYPE0020_destination_root_lookup_fails, test_boot),
        cmocka_unit_test_setup(RETYPE0021_destination_node_not_a_cnode, test_boot),
        cmocka_unit_test_setup(RETYPE0022_destination_node_lookup_fails, test_boot),
        cmocka_unit_test_setup(RETYPE0023_into_another_cnode, test_boot),
        cmocka_unit_test_setup(RETYPE0024_offset_past_the_cnode, test_boot),
        cmocka_unit_test_setup(RETYPE0025_count_past_the_cnode, test_boot),
        cmocka_unit_test_setup(RETYPE0026_occupied_destination_is_delete_first, test_boot),
        cmocka_unit_test_setup(RETYPE0027_not_enough_memory, test_boot),
        cmocka_unit_test_setup(RETYPE0028_device_untyped_makes_only_frames_and_untyped, test_boot),
        cmocka_unit_test_setup(RETYPE0029_device_frames_are_not_zeroed, test_boot),
        cmocka_unit_test_setup(RETYPE0030_unknown_label_is_illegal, test_boot),
        cmocka_unit_test_setup(RETYPE0031_reuse_after_every_child_is_deleted, test_boot),
        cmocka_unit_test_setup(RETYPE0032_reuse_after_revoke, test_boot),
        cmocka_unit_test_setup(RETYPE0033_no_reuse_while_a_child_remains, test_boot),
        cmocka_unit_test_setup(RETYPE0034_no_reuse_while_a_copy_remains, test_boot),
        cmocka_unit_test_setup(RETYPE0035_no_reuse_while_a_grandchild_remains, test_boot),
        cmocka_unit_test_setup(RETYPE0036_every_boot_untyped_retypes_whole, test_boot),
        cmocka_unit_test_setup(RETYPE0037_without_an_ipc_buffer_the_message_is_truncated,
                               test_boot),
    };
    return cmocka_run_group_tests_name("untyped", tests, NULL, NULL);
}
