/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Interrupt capabilities: IRQControl Get and its errors, IRQHandler
 * SetNotification and Clear, the release of a line when its last handler
 * goes, and unbinding when the bound notification is revoked.
 */
#include "cdt.h"
#include "host.h"
#include "objects.h"
#include "objects_support.h"
#include "state.h"

#define IRQ_CONTROL VESPER_ROOT_SLOT_IRQ_CONTROL

static vesper_word line_count(void)
{
    assert_int_equal(hal_irq_count(), HOST_IRQ_LINES);
    return hal_irq_count();
}

/* Get a handler for line into the next empty root slot; returns the slot. */
static vesper_word get_handler(vesper_word line)
{
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, line, ROOT_CNODE, dest, 64),
                     VESPER_OK);
    return dest;
}

static struct cte *binding(vesper_word line)
{
    return &kernel.irq[line].notification;
}

static void assert_unclaimed(vesper_word line)
{
    assert_false(kernel.irq[line].claimed);
    assert_true(cap_is_null(binding(line)->cap));
}

static void IRQ0001_get_makes_a_handler(void **state)
{
    (void)state;
    const vesper_word lines[] = {0, 5, line_count() - 1};
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        assert_unclaimed(lines[i]);
        vesper_word slot = get_handler(lines[i]);
        struct cap cap = slot_cap(slot);
        assert_int_equal(cap_type(cap), CAP_IRQ_HANDLER);
        assert_int_equal(irq_handler_line(cap), lines[i]);
        assert_int_equal(cap_rights(cap), VESPER_RIGHTS_ALL);
        assert_true(cdt_is_parent_of(test_root_slot(IRQ_CONTROL), test_root_slot(slot)));
        assert_true(kernel.irq[lines[i]].claimed);
        assert_true(cap_is_null(binding(lines[i])->cap));
        struct vesper_syscall_frame frame;
        assert_int_equal(test_identify(&frame, slot), VESPER_OK);
        assert_int_equal(frame.arg[2], VESPER_OBJECT_IRQ_HANDLER);
        assert_int_equal(frame.arg[5], lines[i]);
        assert_invariants();
    }
}

static void IRQ0002_get_truncated(void **state)
{
    (void)state;
    vesper_word dest = next_empty_slot();
    const struct vesper_invocation_msg m = vesper_irq_control_get_msg(3, ROOT_CNODE, dest, 64);
    for (unsigned length = 0; length < m.length; length++) {
        assert_int_equal(test_invoke(NULL, IRQ_CONTROL, m.label, length, m.word),
                         VESPER_ERR_TRUNCATED_MESSAGE);
        assert_unclaimed(3);
        assert_true(cap_is_null(slot_cap(dest)));
    }
    assert_invariants();
}

static void IRQ0003_get_line_out_of_range(void **state)
{
    (void)state;
    const vesper_word lines[] = {line_count(), line_count() + 1, HAL_IRQ_LINES_MAX - 1,
                                 HAL_IRQ_LINES_MAX, UINT64_MAX};
    vesper_word dest = next_empty_slot();
    for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, IRQ_CONTROL, irq_control_get, lines[i], ROOT_CNODE,
                                         dest, 64),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], 0);
        assert_int_equal(frame.arg[2], line_count() - 1);
        assert_true(cap_is_null(slot_cap(dest)));
    }
    assert_invariants();
}

static void IRQ0004_get_claimed_line_is_revoke_first(void **state)
{
    (void)state;
    vesper_word first = get_handler(9);
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, 9, ROOT_CNODE, dest, 64),
                     VESPER_ERR_REVOKE_FIRST);
    assert_true(cap_is_null(slot_cap(dest)));
    assert_int_equal(irq_handler_line(slot_cap(first)), 9);
    /* Other lines are still free. */
    get_handler(10);
    assert_invariants();
}

static void IRQ0005_get_into_an_occupied_slot_is_delete_first(void **state)
{
    (void)state;
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, 4, ROOT_CNODE,
                               VESPER_ROOT_SLOT_DOMAIN, 64),
                     VESPER_ERR_DELETE_FIRST);
    assert_unclaimed(4);
    assert_int_equal(cap_type(slot_cap(VESPER_ROOT_SLOT_DOMAIN)), CAP_DOMAIN);
    get_handler(4);
    assert_invariants();
}

static void IRQ0006_get_destination_lookup_fails(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word dest = next_empty_slot();
    struct vesper_syscall_frame frame;
    /* The destination root is not a CNode. */
    assert_int_equal(TEST_CALL_FRAME(&frame, IRQ_CONTROL, irq_control_get, 2, ep, dest, 64),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_INVALID_ROOT, 0, 1);
    /* The destination root cannot be found. */
    assert_int_equal(TEST_CALL_FRAME(&frame, IRQ_CONTROL, irq_control_get, 2, (vesper_word)1 << 30,
                                     dest, 64),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    /* The index does not resolve at that depth. */
    assert_int_equal(TEST_CALL_FRAME(&frame, IRQ_CONTROL, irq_control_get, 2, ROOT_CNODE, dest, 32),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 32, 1);
    /* Depths outside 1..64. */
    const vesper_word depths[] = {0, 65};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(TEST_CALL_FRAME(&frame, IRQ_CONTROL, irq_control_get, 2, ROOT_CNODE, dest,
                                         depths[i]),
                         VESPER_ERR_RANGE);
        assert_int_equal(frame.arg[1], 1);
        assert_int_equal(frame.arg[2], 64);
    }
    assert_unclaimed(2);
    assert_true(cap_is_null(slot_cap(dest)));
    assert_invariants();
}

static void IRQ0007_set_notification_binds_a_copy(void **state)
{
    (void)state;
    vesper_word handler = get_handler(6);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_true(cap_same_object(binding(6)->cap, slot_cap(ntfn)));
    assert_true(cdt_is_parent_of(test_root_slot(ntfn), binding(6)));
    assert_invariants();
    /* An unbadged capability is refused and changes nothing: its signal
     * would set no bit, and an interrupt while the driver is busy would be
     * lost. A badged one keeps its badge in the binding; the old binding
     * goes. */
    vesper_word other = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, handler, irq_handler_set_notification, other),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_error_words(&frame, VESPER_ERR_INVALID_CAPABILITY, 1, 0, 0);
    assert_true(cap_same_object(binding(6)->cap, slot_cap(ntfn)));
    assert_false(host_irq_masked(6)); /* still bound, still unmasked */
    vesper_word badged = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, badged, 64, ROOT_CNODE, other, 64,
                               VESPER_RIGHTS_ALL, 0x42),
                     VESPER_OK);
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, badged), VESPER_OK);
    assert_true(cap_same_object(binding(6)->cap, slot_cap(other)));
    assert_int_equal(cap_badge(binding(6)->cap), 0x42);
    assert_false(cdt_has_children(test_root_slot(ntfn)));
    assert_int_equal(header_type(slot_cap(ntfn)), CAP_NOTIFICATION);
    assert_invariants();
}

static void IRQ0008_set_notification_needs_a_notification(void **state)
{
    (void)state;
    vesper_word handler = get_handler(1);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    const vesper_word refused[] = {make_object(VESPER_OBJECT_ENDPOINT, 0),
                                   make_object(VESPER_OBJECT_FRAME_4K, 0), handler, IRQ_CONTROL,
                                   VESPER_ROOT_SLOT_NULL};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct vesper_syscall_frame frame;
        assert_int_equal(TEST_CALL_FRAME(&frame, handler, irq_handler_set_notification, refused[i]),
                         VESPER_ERR_INVALID_CAPABILITY);
        assert_int_equal(frame.arg[1], 1);
        assert_true(cap_same_object(binding(1)->cap, slot_cap(ntfn)));
    }
    assert_invariants();
}

/* The kernel signals the bound notification, so the capability must carry
 * the write right. */
static void IRQ0019_set_notification_needs_the_write_right(void **state)
{
    (void)state;
    vesper_word handler = get_handler(2);
    vesper_word ntfn = make_irq_notification();
    vesper_word read_only = copy_cap(ntfn, VESPER_RIGHT_READ | VESPER_RIGHT_GRANT);
    struct vesper_syscall_frame frame;
    assert_int_equal(TEST_CALL_FRAME(&frame, handler, irq_handler_set_notification, read_only),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(frame.arg[1], 1);
    assert_true(cap_is_null(binding(2)->cap));
    vesper_word write_only = copy_cap(ntfn, VESPER_RIGHT_WRITE);
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, write_only), VESPER_OK);
    assert_invariants();
}

static void IRQ0009_set_notification_lookup_fails(void **state)
{
    (void)state;
    vesper_word handler = get_handler(2);
    struct vesper_syscall_frame frame;
    const vesper_word unreachable = (vesper_word)1 << 12;
    assert_int_equal(TEST_CALL_FRAME(&frame, handler, irq_handler_set_notification, unreachable),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 1);
    assert_true(cap_is_null(binding(2)->cap));
    assert_invariants();
}

static void IRQ0010_set_notification_truncated(void **state)
{
    (void)state;
    vesper_word handler = get_handler(2);
    assert_int_equal(test_invoke(NULL, handler, VESPER_IRQ_HANDLER_SET_NOTIFICATION, 0, NULL),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_true(cap_is_null(binding(2)->cap));
    assert_invariants();
}

static void IRQ0011_clear_unbinds(void **state)
{
    (void)state;
    vesper_word handler = get_handler(12);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(test_invoke_msg(NULL, handler, vesper_irq_handler_clear_msg()), VESPER_OK);
    assert_true(cap_is_null(binding(12)->cap));
    assert_false(cdt_has_children(test_root_slot(ntfn)));
    assert_true(kernel.irq[12].claimed);
    /* Clearing an unbound handler is fine. */
    assert_int_equal(test_invoke_msg(NULL, handler, vesper_irq_handler_clear_msg()), VESPER_OK);
    assert_invariants();
}

/* The line stays claimed while any handler capability for it exists. */
static void IRQ0012_deleting_the_last_handler_releases_the_line(void **state)
{
    (void)state;
    vesper_word handler = get_handler(8);
    vesper_word copy = copy_cap(handler, VESPER_RIGHTS_ALL);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(copy, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(delete_slot(handler), VESPER_OK);
    assert_true(kernel.irq[8].claimed);
    assert_true(cap_same_object(binding(8)->cap, slot_cap(ntfn)));
    assert_invariants();
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_unclaimed(8);
    assert_false(cdt_has_children(test_root_slot(ntfn)));
    assert_int_equal(header_type(slot_cap(ntfn)), CAP_NOTIFICATION);
    assert_invariants();
    vesper_word again = get_handler(8);
    assert_int_equal(irq_handler_line(slot_cap(again)), 8);
    assert_invariants();
}

/* When the binding held the last capability to the notification, the
 * release destroys it. */
static void IRQ0013_release_destroys_a_notification_only_the_line_held(void **state)
{
    (void)state;
    vesper_word handler = get_handler(3);
    vesper_word ntfn = make_irq_notification();
    struct cap ntfn_cap = slot_cap(ntfn);
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(delete_slot(ntfn), VESPER_OK);
    assert_int_equal(header_type(ntfn_cap), CAP_NOTIFICATION);
    assert_int_equal(delete_slot(handler), VESPER_OK);
    assert_unclaimed(3);
    assert_int_equal(header_type(ntfn_cap), 0);
    assert_invariants();
}

static void IRQ0014_revoking_the_notification_unbinds(void **state)
{
    (void)state;
    vesper_word handler = get_handler(11);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(revoke_slot(ntfn), VESPER_OK);
    assert_true(cap_is_null(binding(11)->cap));
    assert_true(kernel.irq[11].claimed);
    assert_int_equal(cap_type(slot_cap(handler)), CAP_IRQ_HANDLER);
    assert_invariants();
}

static void IRQ0015_revoking_its_untyped_unbinds(void **state)
{
    (void)state;
    vesper_word handler = get_handler(13);
    vesper_word pool = make_object(VESPER_OBJECT_UNTYPED, 12);
    vesper_word ntfn = make_irq_notification_from(pool);
    struct cap ntfn_cap = slot_cap(ntfn);
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(revoke_slot(pool), VESPER_OK);
    assert_true(cap_is_null(binding(13)->cap));
    assert_int_equal(header_type(ntfn_cap), 0);
    assert_invariants();
}

static void IRQ0016_revoking_irq_control_releases_every_line(void **state)
{
    (void)state;
    vesper_word a = get_handler(0);
    vesper_word b = get_handler(15);
    vesper_word b_copy = copy_cap(b, VESPER_RIGHTS_ALL);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(a, irq_handler_set_notification, ntfn), VESPER_OK);
    assert_int_equal(revoke_slot(IRQ_CONTROL), VESPER_OK);
    assert_true(cap_is_null(slot_cap(a)));
    assert_true(cap_is_null(slot_cap(b)));
    assert_true(cap_is_null(slot_cap(b_copy)));
    assert_unclaimed(0);
    assert_unclaimed(15);
    assert_int_equal(cap_type(slot_cap(IRQ_CONTROL)), CAP_IRQ_CONTROL);
    assert_invariants();
}

/* IRQControl is unique: it cannot be copied. */
static void IRQ0017_irq_control_cannot_be_copied(void **state)
{
    (void)state;
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, dest, 64, ROOT_CNODE, IRQ_CONTROL, 64,
                               VESPER_RIGHTS_ALL),
                     VESPER_ERR_ILLEGAL_OPERATION);
    assert_true(cap_is_null(slot_cap(dest)));
    assert_invariants();
}

static void IRQ0018_unknown_labels_are_illegal(void **state)
{
    (void)state;
    static const vesper_word control_labels[] = {
        0, VESPER_UNTYPED_RETYPE, VESPER_IRQ_HANDLER_SET_NOTIFICATION, VESPER_IRQ_HANDLER_CLEAR,
        16};
    static const vesper_word handler_labels[] = {
        0, VESPER_UNTYPED_RETYPE, VESPER_IRQ_CONTROL_GET, VESPER_FRAME_GET_ADDRESS, 16};
    vesper_word handler = get_handler(14);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(handler, irq_handler_set_notification, ntfn), VESPER_OK);
    vesper_word dest = next_empty_slot();
    const struct vesper_invocation_msg get = vesper_irq_control_get_msg(5, ROOT_CNODE, dest, 64);
    const struct vesper_invocation_msg set = vesper_irq_handler_set_notification_msg(ntfn);
    for (size_t i = 0; i < sizeof control_labels / sizeof control_labels[0]; i++) {
        assert_int_equal(test_invoke(NULL, IRQ_CONTROL, control_labels[i], get.length, get.word),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_unclaimed(5);
    }
    for (size_t i = 0; i < sizeof handler_labels / sizeof handler_labels[0]; i++) {
        assert_int_equal(test_invoke(NULL, handler, handler_labels[i], set.length, set.word),
                         VESPER_ERR_ILLEGAL_OPERATION);
        assert_true(cap_same_object(binding(14)->cap, slot_cap(ntfn)));
    }
    assert_invariants();
}

/* A handler from Get is revocable; its copies are not. So Revoke on the
 * handler removes every copy (wherever it was copied from), Revoke on a
 * copy removes nothing, and the line stays claimed until the last of them
 * is deleted. */
static void IRQ0020_copies_of_a_handler_are_its_children(void **state)
{
    (void)state;
    vesper_word handler = get_handler(7);
    vesper_word copy = copy_cap(handler, VESPER_RIGHTS_ALL);
    vesper_word minted = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, minted, 64, ROOT_CNODE, handler, 64,
                               VESPER_RIGHT_READ, 0x55),
                     VESPER_OK);
    vesper_word copy_of_copy = copy_cap(copy, VESPER_RIGHTS_ALL);
    const vesper_word copies[] = {copy, minted, copy_of_copy};
    assert_true(cdt_is_revocable(test_root_slot(handler)));
    for (size_t i = 0; i < 3; i++) {
        struct cap cap = slot_cap(copies[i]);
        assert_int_equal(cap_type(cap), CAP_IRQ_HANDLER);
        assert_int_equal(irq_handler_line(cap), 7); /* Mint's data word is ignored */
        assert_false(cdt_is_revocable(test_root_slot(copies[i])));
        assert_true(cdt_is_parent_of(test_root_slot(handler), test_root_slot(copies[i])));
    }
    assert_int_equal(cap_rights(slot_cap(minted)), VESPER_RIGHT_READ);
    vesper_word ntfn = make_irq_notification();
    assert_int_equal(TEST_CALL(copy, irq_handler_set_notification, ntfn), VESPER_OK);
    /* Revoke on a copy: nothing goes. */
    assert_int_equal(revoke_slot(copy), VESPER_OK);
    assert_int_equal(revoke_slot(copy_of_copy), VESPER_OK);
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(cap_type(slot_cap(copies[i])), CAP_IRQ_HANDLER);
    assert_invariants();
    /* Revoke on the handler: every copy goes; the handler keeps the line
     * and its binding. */
    assert_int_equal(revoke_slot(handler), VESPER_OK);
    for (size_t i = 0; i < 3; i++)
        assert_true(cap_is_null(slot_cap(copies[i])));
    assert_int_equal(irq_handler_line(slot_cap(handler)), 7);
    assert_true(kernel.irq[7].claimed);
    assert_true(cap_same_object(binding(7)->cap, slot_cap(ntfn)));
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(IRQ_CONTROL, irq_control_get, 7, ROOT_CNODE, dest, 64),
                     VESPER_ERR_REVOKE_FIRST);
    assert_invariants();
    /* Deleting the last one frees the line for a new Get. */
    assert_int_equal(delete_slot(handler), VESPER_OK);
    assert_unclaimed(7);
    vesper_word again = get_handler(7);
    assert_true(cdt_is_revocable(test_root_slot(again)));
    assert_true(cdt_is_parent_of(test_root_slot(IRQ_CONTROL), test_root_slot(again)));
    assert_invariants();
}

/* Revoke on IRQControl frees every line it had handed out: each can be
 * claimed again, and the new handler is again IRQControl's child. */
static void IRQ0021_lines_revoked_from_irq_control_can_be_claimed_again(void **state)
{
    (void)state;
    vesper_word first = get_handler(4);
    copy_cap(first, VESPER_RIGHTS_ALL);
    get_handler(5);
    assert_int_equal(revoke_slot(IRQ_CONTROL), VESPER_OK);
    assert_false(cdt_has_children(test_root_slot(IRQ_CONTROL)));
    for (vesper_word line = 4; line <= 5; line++) {
        vesper_word again = get_handler(line);
        assert_int_equal(irq_handler_line(slot_cap(again)), line);
        assert_true(cdt_is_parent_of(test_root_slot(IRQ_CONTROL), test_root_slot(again)));
    }
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(IRQ0001_get_makes_a_handler, test_boot),
        cmocka_unit_test_setup(IRQ0002_get_truncated, test_boot),
        cmocka_unit_test_setup(IRQ0003_get_line_out_of_range, test_boot),
        cmocka_unit_test_setup(IRQ0004_get_claimed_line_is_revoke_first, test_boot),
        cmocka_unit_test_setup(IRQ0005_get_into_an_occupied_slot_is_delete_first, test_boot),
        cmocka_unit_test_setup(IRQ0006_get_destination_lookup_fails, test_boot),
        cmocka_unit_test_setup(IRQ0007_set_notification_binds_a_copy, test_boot),
        cmocka_unit_test_setup(IRQ0008_set_notification_needs_a_notification, test_boot),
        cmocka_unit_test_setup(IRQ0009_set_notification_lookup_fails, test_boot),
        cmocka_unit_test_setup(IRQ0019_set_notification_needs_the_write_right, test_boot),
        cmocka_unit_test_setup(IRQ0010_set_notification_truncated, test_boot),
        cmocka_unit_test_setup(IRQ0011_clear_unbinds, test_boot),
        cmocka_unit_test_setup(IRQ0012_deleting_the_last_handler_releases_the_line, test_boot),
        cmocka_unit_test_setup(IRQ0013_release_destroys_a_notification_only_the_line_held,
                               test_boot),
        cmocka_unit_test_setup(IRQ0014_revoking_the_notification_unbinds, test_boot),
        cmocka_unit_test_setup(IRQ0015_revoking_its_untyped_unbinds, test_boot),
        cmocka_unit_test_setup(IRQ0016_revoking_irq_control_releases_every_line, test_boot),
        cmocka_unit_test_setup(IRQ0017_irq_control_cannot_be_copied, test_boot),
        cmocka_unit_test_setup(IRQ0018_unknown_labels_are_illegal, test_boot),
        cmocka_unit_test_setup(IRQ0020_copies_of_a_handler_are_its_children, test_boot),
        cmocka_unit_test_setup(IRQ0021_lines_revoked_from_irq_control_can_be_claimed_again,
                               test_boot),
    };
    return cmocka_run_group_tests_name("irq", tests, NULL, NULL);
}
