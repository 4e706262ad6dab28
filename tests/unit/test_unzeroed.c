/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * RAM not zeroed since boot (core/object/unzeroed.h): a machine whose RAM
 * holds junk at boot (the host's map then says it is not zero, as the
 * Pi's always does) gets its RAM marked in 64 KiB blocks instead of
 * zeroed; a Retype zeroes the blocks its objects lie in, one between two
 * preemption points, and no object ever lies in a marked block.
 */
#include <string.h>

#include "ipc_support.h"

#include "host.h"
#include "invariants.h"
#include "kernel.h"
#include "preempt.h"
#include "state.h"
#include "unzeroed.h"

#define JUNK 0xa5u
#define MAX_K 7u

/* Boot a machine of `bytes` over RAM full of junk, left as it is by the
 * reset (which must not be the process's first: a new mapping counts as
 * zeroed). */
static int boot_dirty_machine(size_t bytes)
{
    if (test_reset_machine(bytes) != 0)
        return -1;
    host_machine_scrub(false);
    int status = test_reset_machine(bytes);
    host_machine_scrub(true);
    if (status != 0)
        return status;
    memset(hal_kernel_view(HOST_USER_BASE, bytes), JUNK, bytes);
    return kernel_boot() == NULL ? -1 : 0;
}

static int boot_dirty(void **state)
{
    (void)state;
    return boot_dirty_machine(TEST_MEMORY);
}

static bool block_marked(uint64_t address)
{
    return unzeroed_contains((uintptr_t)address);
}

static unsigned char byte_at(uint64_t address)
{
    return *(unsigned char *)hal_kernel_view((uintptr_t)address, 1);
}

/* UNZEROED0001: boot marks the whole blocks of the memory it hands out and
 * zeroes the parts of blocks at their ends; what it carved for the root
 * lies in no marked block. */
static void UNZEROED0001_boot_marks_instead_of_zeroing(void **state)
{
    (void)state;
    assert_non_null(kernel.unzeroed.bits);
    vesper_word untyped = largest_untyped();
    struct cap cap = slot_cap(untyped);
    uint64_t base = cap_address(cap), size = UINT64_C(1) << untyped_size_bits(cap);
    for (uint64_t at = base; at < base + size; at += 4096) {
        if (block_marked(at))
            assert_int_equal(byte_at(at), JUNK); /* left for a Retype to zero */
        else
            assert_true(all_zero(hal_kernel_view((uintptr_t)at, 4096), 4096));
    }
    assert_true(block_marked(base + size / 2));
    assert_invariants();
}

/* UNZEROED0002: a Retype zeroes the block its object lies in, not the next. */
static void UNZEROED0002_retype_zeroes_the_blocks_it_uses(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    uint64_t base = cap_address(slot_cap(untyped));
    assert_true(block_marked(base));
    vesper_word ep = make_object_from(untyped, VESPER_OBJECT_ENDPOINT, 0);
    assert_int_equal(cap_address(slot_cap(ep)), base);
    assert_false(block_marked(base));
    size_t made = (size_t)1 << VESPER_ENDPOINT_BITS; /* its header is not zero */
    assert_true(all_zero(hal_kernel_view((uintptr_t)base + made, UNZEROED_BLOCK - made),
                         UNZEROED_BLOCK - made));
    assert_true(block_marked(base + UNZEROED_BLOCK));
    assert_int_equal(byte_at(base + UNZEROED_BLOCK), JUNK);
    assert_invariants();
}

/* UNZEROED0003: a child Untyped takes its blocks as they are; the Retype
 * from it zeroes only what its objects use. */
static void UNZEROED0003_child_untyped_keeps_the_marks(void **state)
{
    (void)state;
    vesper_word parent = largest_untyped();
    vesper_word child = make_object_from(parent, VESPER_OBJECT_UNTYPED, 18);
    uint64_t base = cap_address(slot_cap(child));
    for (uint64_t at = base; at < base + (UINT64_C(1) << 18); at += UNZEROED_BLOCK)
        assert_true(block_marked(at));
    vesper_word frame = make_object_from(child, VESPER_OBJECT_FRAME_4K, 0);
    assert_true(all_zero(object_bytes(slot_cap(frame)), 4096));
    assert_false(block_marked(base));
    assert_true(block_marked(base + UNZEROED_BLOCK));
    assert_invariants();
}

/* UNZEROED0004: a Retype of frames across several marked blocks, stopped
 * at every k-th point: P / k + 1 attempts, the invariants after each, and
 * every frame zero at the end. */
static void UNZEROED0004_retype_across_blocks_at_every_point(void **state)
{
    (void)state;
    unsigned points = 0;
    for (unsigned k = 0; k <= MAX_K; k++) {
        assert_int_equal(boot_dirty(NULL), 0);
        vesper_word untyped = largest_untyped();
        vesper_word dest = next_empty_slot();
        struct vesper_invocation_msg msg =
            vesper_untyped_retype_msg(VESPER_OBJECT_FRAME_4K, 0, ROOT_CNODE, 0, 0, dest, 64);
        preemption_test_every(k);
        unsigned attempts = 1;
        struct vesper_syscall_frame f;
        for (;;) {
            vesper_word error = test_invoke_msg(&f, untyped, msg);
            assert_invariants();
            if (!root_domain()->context.restart) {
                assert_int_equal(error, VESPER_OK);
                break;
            }
            root_domain()->context.restart = 0;
            attempts++;
        }
        if (k == 0)
            points = kernel.preemption_points;
        preemption_test_every(0);
        assert_int_equal(points, 64 * 4096 / UNZEROED_BLOCK - 1); /* between blocks */
        assert_int_equal(attempts, k == 0 ? 1 : points / k + 1);
        for (vesper_word i = 0; i < 64; i++)
            assert_true(all_zero(object_bytes(slot_cap(dest + i)), 4096));
    }
}

/* UNZEROED0005: the checker catches an object in a marked block. */
static void UNZEROED0005_object_in_a_marked_block_is_caught(void **state)
{
    (void)state;
    vesper_word ep = make_object_from(largest_untyped(), VESPER_OBJECT_ENDPOINT, 0);
    uintptr_t address = cap_address(slot_cap(ep));
    size_t block = (address - kernel.unzeroed.base) >> UNZEROED_BLOCK_BITS;
    kernel.unzeroed.bits[block / 8] |= (uint8_t)(1u << (block % 8));
    const char *problem = kernel_check_invariants();
    assert_non_null(problem);
    assert_string_equal(problem, "an object lies in memory not zeroed since boot");
    kernel.unzeroed.bits[block / 8] &= (uint8_t) ~(1u << (block % 8));
    assert_invariants();
}

/* UNZEROED0006: RAM the HAL gives zeroed is not marked at all. */
static void UNZEROED0006_zeroed_ram_needs_no_marks(void **state)
{
    (void)state;
    assert_null(kernel.unzeroed.bits);
    assert_false(block_marked(cap_address(slot_cap(largest_untyped()))));
}

/* UNZEROED0007: a Retype over 64 blocks already zeroed passes them a word
 * of the bitmap at a time, and zeroes nothing more: the Untyped's reset
 * did the work. */
static void UNZEROED0007_retype_over_zeroed_blocks(void **state)
{
    (void)state;
    assert_int_equal(boot_dirty_machine(TEST_LARGE_MEMORY), 0);
    vesper_word untyped = largest_untyped();
    assert_int_equal(untyped_size_bits(slot_cap(untyped)), 22);
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_FRAME_2M, 0, dest, 2), VESPER_OK);
    memset(object_bytes(slot_cap(dest)), JUNK, (size_t)2 << 20); /* what its user wrote */
    assert_int_equal(revoke_slot(untyped), VESPER_OK);
    preemption_test_every(1);
    struct vesper_invocation_msg msg =
        vesper_untyped_retype_msg(VESPER_OBJECT_FRAME_2M, 0, ROOT_CNODE, 0, 0, dest, 2);
    unsigned attempts = 1;
    while (test_invoke_msg(NULL, untyped, msg), root_domain()->context.restart) {
        root_domain()->context.restart = 0;
        attempts++;
    }
    preemption_test_every(0);
    /* Only the reset's 16 KiB steps: 4 MiB of them, no block of its own. */
    assert_int_equal(attempts, ((size_t)4 << 20) / (16 << 10));
    for (vesper_word i = 0; i < 2; i++)
        assert_true(all_zero(object_bytes(slot_cap(dest + i)), (size_t)2 << 20));
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(UNZEROED0001_boot_marks_instead_of_zeroing, boot_dirty),
        cmocka_unit_test_setup(UNZEROED0002_retype_zeroes_the_blocks_it_uses, boot_dirty),
        cmocka_unit_test_setup(UNZEROED0003_child_untyped_keeps_the_marks, boot_dirty),
        cmocka_unit_test_setup(UNZEROED0004_retype_across_blocks_at_every_point, boot_dirty),
        cmocka_unit_test_setup(UNZEROED0005_object_in_a_marked_block_is_caught, boot_dirty),
        cmocka_unit_test_setup(UNZEROED0006_zeroed_ram_needs_no_marks, test_boot),
        cmocka_unit_test(UNZEROED0007_retype_over_zeroed_blocks),
    };
    return cmocka_run_group_tests(tests, test_map_large, NULL);
}
