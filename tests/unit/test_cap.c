/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The capability predicates the derivation tree is built on (core/object/objecttype.c),
 * for each kind of capability, including pairs that no syscall sequence
 * puts side by side today; and what destroying an object writes.
 */
#include <string.h>

#include "cap.h"
#include "objects.h"
#include "objects_support.h"

#define ALL VESPER_RIGHTS_ALL
/* Any address will do for predicates that only compare capabilities. */
#define SOMEWHERE ((uintptr_t)0x10000)

static struct cap endpoint(uintptr_t address, uint64_t badge)
{
    return cap_make(CAP_ENDPOINT, address, ALL, 0, badge);
}

static struct cap untyped(uintptr_t address, unsigned bits)
{
    return cap_make(CAP_UNTYPED, address, ALL, bits, 0);
}

static struct cap irq_handler(unsigned line)
{
    return cap_make(CAP_IRQ_HANDLER, 0, ALL, 0, line);
}

static struct cap the_irq_control(void)
{
    return cap_make(CAP_IRQ_CONTROL, 0, ALL, 0, 0);
}

/* Empty slots and zombies name nothing, so two of them are never "the
 * same object", even when their words are equal. */
static void CAP0001_empty_and_zombie_name_no_object(void **state)
{
    (void)state;
    assert_false(cap_same_object(cap_null(), cap_null()));
    struct cap zombie = cap_make(CAP_ZOMBIE, SOMEWHERE, 0, 4, 0);
    assert_false(cap_same_object(zombie, zombie));
    assert_false(cap_same_region(zombie, zombie));
}

/* There is one IRQControl: any two capabilities to it are the same
 * object, and every IRQHandler lies in its region. */
static void CAP0002_irq_control_covers_every_handler(void **state)
{
    (void)state;
    struct cap control = the_irq_control();
    assert_true(cap_same_object(control, control));
    assert_true(cap_same_region(control, control));
    assert_true(cap_same_region(control, irq_handler(0)));
    assert_true(cap_same_region(control, irq_handler(HAL_IRQ_LINES_MAX - 1)));
    assert_false(cap_same_region(control, endpoint(SOMEWHERE, 0)));
    assert_false(cap_same_region(irq_handler(3), control));
    assert_true(cap_same_region(irq_handler(3), irq_handler(3)));
    assert_false(cap_same_region(irq_handler(3), irq_handler(4)));
}

/* An Untyped's region holds the objects made from it, and nothing that
 * names no memory. */
static void CAP0003_untyped_region_holds_only_memory(void **state)
{
    (void)state;
    struct cap region = untyped(SOMEWHERE, 12);
    assert_true(cap_same_region(region, endpoint(SOMEWHERE + 4096 - 32, 0)));
    assert_false(cap_same_region(region, endpoint(SOMEWHERE + 4096, 0)));
    assert_true(cap_same_region(region, untyped(SOMEWHERE, 12)));
    assert_false(cap_same_region(region, untyped(SOMEWHERE, 13)));
    assert_false(cap_same_region(region, irq_handler(0)));
    assert_false(cap_same_region(region, the_irq_control()));
    /* One capability per region: two Untyped are never the same object. */
    assert_false(cap_same_object(region, region));
}

/* A CNode is its address and its size: the same address with another
 * radix is another CNode. */
static void CAP0004_cnode_is_address_and_radix(void **state)
{
    (void)state;
    struct cap small = cap_make(CAP_CNODE, SOMEWHERE, ALL, 4, 0);
    struct cap large = cap_make(CAP_CNODE, SOMEWHERE, ALL, 5, 0);
    struct cap guarded = cap_make(CAP_CNODE, SOMEWHERE, VESPER_RIGHT_READ, 4, 1u << 6 | 1u);
    assert_false(cap_same_object(small, large));
    assert_true(cap_same_object(small, guarded));
}

/* A derived capability starts a subtree of its own (and is revocable) when
 * it is an Untyped, a newly badged Endpoint or Notification, or an
 * IRQHandler made by IRQControl; never otherwise. */
static void CAP0005_which_derivations_are_revocable(void **state)
{
    (void)state;
    assert_true(cap_is_revocable(untyped(SOMEWHERE, 8), untyped(SOMEWHERE, 12)));
    assert_true(cap_is_revocable(endpoint(SOMEWHERE, 5), endpoint(SOMEWHERE, 0)));
    assert_false(cap_is_revocable(endpoint(SOMEWHERE, 5), endpoint(SOMEWHERE, 5)));
    struct cap note = cap_make(CAP_NOTIFICATION, SOMEWHERE, ALL, 0, 0);
    struct cap badged_note = cap_make(CAP_NOTIFICATION, SOMEWHERE, ALL, 0, 9);
    assert_true(cap_is_revocable(badged_note, note));
    assert_false(cap_is_revocable(note, note));
    assert_true(cap_is_revocable(irq_handler(2), the_irq_control()));
    assert_false(cap_is_revocable(irq_handler(2), irq_handler(2)));
    struct cap frame = cap_make(CAP_FRAME_4K, SOMEWHERE, ALL, 0, 0);
    assert_false(cap_is_revocable(frame, frame));
}

/* Objects without a header (Frames, CNodes, PDoms) keep every byte when
 * destroyed: a Frame's first word is user data, not a header to clear. */
static void CAP0006_clearing_a_headerless_object_writes_nothing(void **state)
{
    (void)state;
    static const unsigned char pattern[16] = "user data here!";
    struct cap frame = slot_cap(make_object(VESPER_OBJECT_FRAME_4K, 0));
    memcpy(object_bytes(frame), pattern, sizeof pattern);
    assert_null(object_header_of(frame));
    object_clear(frame);
    assert_memory_equal(object_bytes(frame), pattern, sizeof pattern);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(CAP0001_empty_and_zombie_name_no_object),
        cmocka_unit_test(CAP0002_irq_control_covers_every_handler),
        cmocka_unit_test(CAP0003_untyped_region_holds_only_memory),
        cmocka_unit_test(CAP0004_cnode_is_address_and_radix),
        cmocka_unit_test(CAP0005_which_derivations_are_revocable),
        cmocka_unit_test_setup(CAP0006_clearing_a_headerless_object_writes_nothing, test_boot),
    };
    return cmocka_run_group_tests_name("cap", tests, NULL, NULL);
}
