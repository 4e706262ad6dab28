/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * PDom identities (core/object/pdom.c): each PDom holds one of the
 * kernel's PDom slots from its Retype until its last capability goes, its
 * capabilities name the slot and the slot's generation, and Retype refuses
 * PDoms beyond the unused slots with nothing changed.
 */

#include "objects_support.h"
#include "invariants.h"
#include "pdom.h"
#include "state.h"

static unsigned slots_used(void)
{
    return KERNEL_PDOM_SLOTS - pdom_slots_unused();
}

/* The root's PDom, made at boot, holds slot 0. */
static void PDOM0001_the_root_pdom_holds_slot_0(void **state)
{
    (void)state;
    struct cap root = slot_cap(VESPER_ROOT_SLOT_PDOM);
    assert_int_equal(pdom_slot_of(root), 0);
    assert_true(kernel.pdoms[0].used);
    assert_int_equal(kernel.pdoms[0].table, cap_address(root));
    assert_int_equal(root.word1, kernel.pdoms[0].generation);
    assert_int_equal(slots_used(), 1);
    assert_invariants();
}

/* New PDoms take unused slots; a copy names the same slot; deleting the last
 * capability releases the slot and bumps its generation, so a PDom made later
 * in it has a capability no earlier one matches. */
static void PDOM0002_slots_follow_the_last_capability(void **state)
{
    (void)state;
    vesper_word a = make_object(VESPER_OBJECT_PDOM, 0);
    vesper_word b = make_object(VESPER_OBJECT_PDOM, 0);
    unsigned slot_a = pdom_slot_of(slot_cap(a));
    assert_int_not_equal(slot_a, pdom_slot_of(slot_cap(b)));
    assert_int_equal(slots_used(), 3);
    vesper_word copy = copy_cap(a, VESPER_RIGHTS_ALL);
    assert_int_equal(pdom_slot_of(slot_cap(copy)), slot_a);
    uint64_t generation = kernel.pdoms[slot_a].generation;
    struct cap old = slot_cap(a);
    assert_int_equal(delete_slot(a), VESPER_OK);
    assert_true(kernel.pdoms[slot_a].used); /* the copy still names it */
    assert_invariants();
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_false(kernel.pdoms[slot_a].used);
    assert_int_equal(kernel.pdoms[slot_a].generation, generation + 1);
    assert_int_equal(slots_used(), 2);
    assert_invariants();
    vesper_word again = make_object(VESPER_OBJECT_PDOM, 0);
    struct cap fresh = slot_cap(again);
    assert_int_equal(pdom_slot_of(fresh), slot_a);
    assert_int_not_equal(fresh.word1, old.word1);
    assert_invariants();
}

/* Revoking the Untyped they came from releases every PDom's slot. */
static void PDOM0003_revoking_the_untyped_releases_the_slots(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_PDOM, 0, dest, 5), VESPER_OK);
    assert_int_equal(slots_used(), 6);
    assert_int_equal(revoke_slot(untyped), VESPER_OK);
    assert_int_equal(slots_used(), 1);
    assert_invariants();
}

/* More PDoms than unused slots: RANGE, words 1-2 are 1 and the unused slots,
 * and nothing changed: no slot taken, no capability made, the Untyped's
 * watermark where it was. */
static void PDOM0004_retype_beyond_the_unused_slots_changes_nothing(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word dest = next_empty_slot();
    unsigned unused = pdom_slots_unused();
    struct vesper_syscall_frame frame;
    struct cap before = slot_cap(untyped);
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_PDOM, 0, dest, unused + 1),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[1], 1);
    assert_int_equal(frame.arg[2], unused);
    assert_int_equal(pdom_slots_unused(), unused);
    assert_true(cap_is_null(slot_cap(dest)));
    assert_int_equal(slot_cap(untyped).word1, before.word1);
    assert_invariants();
    /* Exactly the unused slots fit; then not one more. */
    assert_int_equal(retype_into(NULL, untyped, VESPER_OBJECT_PDOM, 0, dest, unused), VESPER_OK);
    assert_int_equal(pdom_slots_unused(), 0);
    vesper_word more = next_empty_slot();
    assert_int_equal(retype_into(&frame, untyped, VESPER_OBJECT_PDOM, 0, more, 1),
                     VESPER_ERR_RANGE);
    assert_int_equal(frame.arg[2], 0);
    assert_invariants();
}

/* The checker notices a PDom capability whose slot does not hold it. */
static void PDOM0005_the_checker_sees_a_stale_pdom_capability(void **state)
{
    (void)state;
    vesper_word a = make_object(VESPER_OBJECT_PDOM, 0);
    unsigned slot = pdom_slot_of(slot_cap(a));
    kernel.pdoms[slot].generation++; /* as if it had been released and reused */
    assert_non_null(kernel_check_invariants());
    kernel.pdoms[slot].generation--;
    assert_invariants();
    kernel.pdoms[KERNEL_PDOM_SLOTS - 1].used = true; /* a slot nobody names */
    assert_non_null(kernel_check_invariants());
    kernel.pdoms[KERNEL_PDOM_SLOTS - 1].used = false;
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(PDOM0001_the_root_pdom_holds_slot_0, test_boot),
        cmocka_unit_test_setup(PDOM0002_slots_follow_the_last_capability, test_boot),
        cmocka_unit_test_setup(PDOM0003_revoking_the_untyped_releases_the_slots, test_boot),
        cmocka_unit_test_setup(PDOM0004_retype_beyond_the_unused_slots_changes_nothing, test_boot),
        cmocka_unit_test_setup(PDOM0005_the_checker_sees_a_stale_pdom_capability, test_boot),
    };
    return cmocka_run_group_tests_name("pdom", tests, NULL, NULL);
}
