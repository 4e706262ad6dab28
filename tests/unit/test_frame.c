/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Frame GetAddress and what every invocation shares: VESPER_SYS_DEBUG_IDENTIFY
 * on capabilities of each kind, invoking an empty slot or an unresolvable
 * CPtr, and types that have no operations. The usual test machine's 1 MiB
 * cannot hold a 2 MiB frame (test_untyped shows Retype refusing one): the
 * 2 MiB frame's test boots a larger one.
 */
#include <vesper/message.h>

#include "objects.h"
#include "objects_support.h"
#include "state.h"

/* The words of a successful reply: tag, then up to four message words. */
static void assert_reply(const struct vesper_syscall_frame *frame, unsigned length,
                         const vesper_word *words)
{
    assert_int_equal(frame->arg[0], VESPER_OK);
    assert_int_equal(frame->arg[1], vesper_tag(0, length, 0));
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(frame->arg[2 + i], i < length ? words[i] : 0);
}

static void assert_identify(vesper_word cptr, enum cap_type type, unsigned aux, unsigned rights,
                            vesper_word address, vesper_word word1)
{
    struct vesper_syscall_frame frame;
    assert_int_equal(test_identify(&frame, cptr), VESPER_OK);
    const vesper_word words[4] = {(vesper_word)type | (vesper_word)aux << 8, rights, address,
                                  word1};
    assert_reply(&frame, 4, words);
}

/* GetAddress on the frame at cptr answers (address, size bits, device). */
static void assert_get_address(vesper_word cptr, vesper_word address, vesper_word bits,
                               vesper_word device)
{
    struct vesper_syscall_frame frame;
    assert_int_equal(test_invoke_msg(&frame, cptr, vesper_frame_get_address_msg()), VESPER_OK);
    vesper_word words[VESPER_FRAME_GET_ADDRESS_RESULTS];
    words[VESPER_FRAME_GET_ADDRESS_RESULT_ADDRESS] = address;
    words[VESPER_FRAME_GET_ADDRESS_RESULT_SIZE_BITS] = bits;
    words[VESPER_FRAME_GET_ADDRESS_RESULT_DEVICE] = device;
    assert_reply(&frame, VESPER_FRAME_GET_ADDRESS_RESULTS, words);
}

static void FRAME0001_get_address_of_a_new_frame(void **state)
{
    (void)state;
    vesper_word frame_slot = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(frame_slot));
    assert_get_address(frame_slot, address, VESPER_FRAME_4K_BITS, 0);
    assert_non_null(hal_kernel_view(address, 4096));
    assert_invariants();
}

/* GetAddress needs no rights: the read-only bootinfo frame answers too. */
static void FRAME0002_get_address_of_the_boot_frames(void **state)
{
    (void)state;
    vesper_word ipc = test_bootinfo()->ipc_buffer;
    assert_get_address(VESPER_ROOT_SLOT_IPC_BUFFER, ipc, VESPER_FRAME_4K_BITS, 0);
    assert_get_address(VESPER_ROOT_SLOT_BOOTINFO, kernel.root_bootinfo, VESPER_FRAME_4K_BITS, 0);
    vesper_word no_rights = copy_cap(VESPER_ROOT_SLOT_IPC_BUFFER, 0);
    assert_get_address(no_rights, ipc, VESPER_FRAME_4K_BITS, 0);
    assert_invariants();
}

static void FRAME0003_get_address_of_a_device_frame(void **state)
{
    (void)state;
    vesper_word device = make_device_untyped(13);
    vesper_word frame_slot = make_object_from(device, VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(device));
    assert_get_address(frame_slot, address, VESPER_FRAME_4K_BITS, 1);
    assert_identify(frame_slot, CAP_FRAME_4K, 1, VESPER_RIGHTS_ALL, address, 0);
    assert_invariants();
}

static void FRAME0004_frame_unknown_label_is_illegal(void **state)
{
    (void)state;
    static const vesper_word labels[] = {0, VESPER_UNTYPED_RETYPE, VESPER_CNODE_COPY,
                                         VESPER_DOMAIN_SET_IPC_BUFFER, VESPER_IRQ_CONTROL_GET, 16,
                                         1000};
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        assert_int_equal(test_invoke(NULL, VESPER_ROOT_SLOT_IPC_BUFFER, labels[i], 0, NULL),
                         VESPER_ERR_ILLEGAL_OPERATION);
    assert_invariants();
}

static void FRAME0005_identify_the_boot_capabilities(void **state)
{
    (void)state;
    struct cap cnode = slot_cap(ROOT_CNODE);
    assert_identify(ROOT_CNODE, CAP_CNODE, VESPER_ROOT_CNODE_RADIX, VESPER_RIGHTS_ALL,
                    cap_address(cnode), 64 - VESPER_ROOT_CNODE_RADIX);
    assert_identify(VESPER_ROOT_SLOT_DOMAIN, CAP_DOMAIN, 0, VESPER_RIGHTS_ALL,
                    cap_address(slot_cap(VESPER_ROOT_SLOT_DOMAIN)), 0);
    assert_identify(VESPER_ROOT_SLOT_PDOM, CAP_PDOM, 0, VESPER_RIGHTS_ALL,
                    cap_address(slot_cap(VESPER_ROOT_SLOT_PDOM)), 0);
    /* Word 1 of a frame capability is its grant: read only, to slot 0. */
    assert_identify(VESPER_ROOT_SLOT_BOOTINFO, CAP_FRAME_4K, 0, VESPER_RIGHT_READ,
                    kernel.root_bootinfo, frame_grant_record(VESPER_FRAME_READ, 0, 0));
    assert_identify(VESPER_ROOT_SLOT_IRQ_CONTROL, CAP_IRQ_CONTROL, 0, VESPER_RIGHTS_ALL, 0, 0);
    assert_identify(VESPER_ROOT_SLOT_SCHED_CONTROL, CAP_SCHED_CONTROL, 0, VESPER_RIGHTS_ALL, 0, 0);
    const struct vesper_bootinfo *info = test_bootinfo();
    for (vesper_word i = 0; i < info->untyped_count; i++)
        assert_identify(info->untyped_first + i, CAP_UNTYPED, (unsigned)info->untyped[i].size_bits,
                        VESPER_RIGHTS_ALL, info->untyped[i].base, 0);
    assert_invariants();
}

static void FRAME0006_identify_made_and_derived_capabilities(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word badged = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, badged, 64, ROOT_CNODE, ep, 64,
                               VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT, 0x1234),
                     VESPER_OK);
    assert_identify(ep, CAP_ENDPOINT, 0, VESPER_RIGHTS_ALL, cap_address(slot_cap(ep)), 0);
    assert_identify(badged, CAP_ENDPOINT, 0, VESPER_RIGHT_WRITE | VESPER_RIGHT_GRANT,
                    cap_address(slot_cap(ep)), 0x1234);
    vesper_word ntfn = make_object(VESPER_OBJECT_NOTIFICATION, 0);
    assert_identify(ntfn, CAP_NOTIFICATION, 0, VESPER_RIGHTS_ALL, cap_address(slot_cap(ntfn)), 0);
    vesper_word reply = make_object(VESPER_OBJECT_REPLY, 0);
    assert_identify(reply, CAP_REPLY, 0, VESPER_RIGHTS_ALL, cap_address(slot_cap(reply)), 0);
    vesper_word cnode = make_object(VESPER_OBJECT_CNODE, 3);
    vesper_word guarded = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, guarded, 64, ROOT_CNODE, cnode, 64,
                               VESPER_RIGHT_READ, vesper_cnode_guard(2, 4)),
                     VESPER_OK);
    assert_identify(guarded, CAP_CNODE, 3, VESPER_RIGHT_READ, cap_address(slot_cap(cnode)),
                    vesper_cnode_guard(2, 4));
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_identify(d, CAP_DOMAIN, 0, VESPER_RIGHTS_ALL, cap_address(slot_cap(d)), 0);
    vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_identify(table, CAP_PAGE_TABLE, 0, VESPER_RIGHTS_ALL, cap_address(slot_cap(table)), 0);
    vesper_word handler = next_empty_slot();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_IRQ_CONTROL, irq_control_get, 9, ROOT_CNODE,
                               handler, 64),
                     VESPER_OK);
    assert_identify(handler, CAP_IRQ_HANDLER, 0, VESPER_RIGHTS_ALL, 0, 9);
    /* An Untyped reports its watermark. */
    struct cap u = slot_cap(untyped);
    assert_identify(untyped, CAP_UNTYPED, untyped_size_bits(u), VESPER_RIGHTS_ALL, cap_address(u),
                    untyped_watermark(u));
    assert_true(untyped_watermark(u) > 0);
    assert_invariants();
}

/* Identify reads and changes nothing, on an Endpoint too (a Call on one
 * would be IPC: that is why Identify is a syscall of its own). */
static void FRAME0007_identify_changes_nothing(void **state)
{
    (void)state;
    vesper_word untyped = largest_untyped();
    vesper_word endpoint = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct cap before = slot_cap(untyped);
    struct vesper_syscall_frame frame;
    assert_int_equal(test_identify(&frame, untyped), VESPER_OK);
    assert_int_equal(frame.arg[4], cap_address(before));
    struct cap after = slot_cap(untyped);
    assert_int_equal(after.word0, before.word0);
    assert_int_equal(after.word1, before.word1);
    assert_int_equal(test_identify(&frame, endpoint), VESPER_OK);
    assert_int_equal(frame.arg[2] & 0xff, CAP_ENDPOINT);
    assert_true(kernel_is_running());
    assert_invariants();
}

static void FRAME0008_invoking_an_empty_slot_is_invalid_capability_0(void **state)
{
    (void)state;
    static const vesper_word labels[] = {VESPER_FRAME_GET_ADDRESS, VESPER_UNTYPED_RETYPE,
                                         VESPER_CNODE_COPY, 0};
    const vesper_word slots[] = {VESPER_ROOT_SLOT_NULL, next_empty_slot(),
                                 test_bootinfo()->empty_end - 1};
    for (size_t s = 0; s < sizeof slots / sizeof slots[0]; s++) {
        for (size_t l = 0; l < sizeof labels / sizeof labels[0]; l++) {
            struct vesper_syscall_frame frame;
            assert_int_equal(test_invoke(&frame, slots[s], labels[l], 0, NULL),
                             VESPER_ERR_INVALID_CAPABILITY);
            assert_int_equal(frame.arg[1], 0);
        }
        struct vesper_syscall_frame frame;
        assert_int_equal(test_identify(&frame, slots[s]), VESPER_ERR_INVALID_CAPABILITY);
        assert_int_equal(frame.arg[1], 0);
    }
    assert_invariants();
}

static void FRAME0009_invoking_an_unresolvable_cptr_fails_lookup(void **state)
{
    (void)state;
    struct vesper_syscall_frame frame;
    assert_int_equal(test_identify(&frame, (vesper_word)1 << 10), VESPER_ERR_FAILED_LOOKUP);
    assert_error_words(&frame, VESPER_ERR_FAILED_LOOKUP, VESPER_LOOKUP_GUARD_MISMATCH, 64, 0);
    assert_invariants();
}

/* Notifications, replies and protection domains have no invocations:
 * every label is refused (SchedControl's are in test_dispatch.c). (A Call on an
 * Endpoint is IPC, tested in test_ipc.c.) */
static void FRAME0010_types_without_operations_are_illegal(void **state)
{
    (void)state;
    const vesper_word slots[] = {
        make_object(VESPER_OBJECT_NOTIFICATION, 0),
        make_object(VESPER_OBJECT_REPLY, 0),      make_object(VESPER_OBJECT_PDOM, 0),
        VESPER_ROOT_SLOT_PDOM,
    };
    for (size_t s = 0; s < sizeof slots / sizeof slots[0]; s++) {
        for (vesper_word label = 0; label <= VESPER_INVOCATION_LABEL_MAX + 1; label++) {
            const vesper_word words[2] = {0, 0};
            assert_int_equal(test_invoke(NULL, slots[s], label, 2, words),
                             VESPER_ERR_ILLEGAL_OPERATION);
        }
    }
    assert_invariants();
}

/* Without an IPC buffer a message that fits in the registers arrives
 * whole (test_syscall.c shows longer ones cut to four words). */
static void FRAME0011_without_an_ipc_buffer_register_words_arrive(void **state)
{
    (void)state;
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_set_ipc_buffer, 0,
                               VESPER_ROOT_SLOT_NULL),
                     VESPER_OK);
    assert_null(domain_ipc_buffer(kernel.root));
    assert_get_address(VESPER_ROOT_SLOT_IPC_BUFFER, test_bootinfo()->ipc_buffer,
                       VESPER_FRAME_4K_BITS, 0);
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_delete, VESPER_ROOT_SLOT_SCHED_CONTROL, 64),
                     VESPER_OK);
    assert_true(cap_is_null(slot_cap(VESPER_ROOT_SLOT_SCHED_CONTROL)));
    assert_invariants();
}

/* A 2 MiB frame: made by Retype, answering GetAddress and Identify with its
 * size, and holding an IPC buffer anywhere inside it. */
static void FRAME0012_two_mib_frame(void **state)
{
    (void)state;
    vesper_word big = make_object(VESPER_OBJECT_FRAME_2M, 0);
    vesper_word address = cap_address(slot_cap(big));
    assert_int_equal(address % (UINT64_C(1) << VESPER_FRAME_2M_BITS), 0);
    assert_get_address(big, address, VESPER_FRAME_2M_BITS, 0);
    assert_identify(big, CAP_FRAME_2M, 0, VESPER_RIGHTS_ALL, address, 0);
    vesper_word buffer = address + (UINT64_C(1) << 20);
    grant_frame(big, VESPER_ROOT_SLOT_PDOM, VESPER_FRAME_READ | VESPER_FRAME_WRITE);
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_DOMAIN, domain_set_ipc_buffer, buffer, big),
                     VESPER_OK);
    assert_int_equal(kernel.root->ipc_buffer, buffer);
    assert_ptr_equal(domain_ipc_buffer(kernel.root), hal_kernel_view(buffer, 1));
    assert_true(cap_same_object(kernel.root->slots[DOMAIN_SLOT_IPC_BUFFER].cap, slot_cap(big)));
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(FRAME0001_get_address_of_a_new_frame, test_boot),
        cmocka_unit_test_setup(FRAME0002_get_address_of_the_boot_frames, test_boot),
        cmocka_unit_test_setup(FRAME0003_get_address_of_a_device_frame, test_boot),
        cmocka_unit_test_setup(FRAME0004_frame_unknown_label_is_illegal, test_boot),
        cmocka_unit_test_setup(FRAME0005_identify_the_boot_capabilities, test_boot),
        cmocka_unit_test_setup(FRAME0006_identify_made_and_derived_capabilities, test_boot),
        cmocka_unit_test_setup(FRAME0007_identify_changes_nothing, test_boot),
        cmocka_unit_test_setup(FRAME0008_invoking_an_empty_slot_is_invalid_capability_0, test_boot),
        cmocka_unit_test_setup(FRAME0009_invoking_an_unresolvable_cptr_fails_lookup, test_boot),
        cmocka_unit_test_setup(FRAME0010_types_without_operations_are_illegal, test_boot),
        cmocka_unit_test_setup(FRAME0011_without_an_ipc_buffer_register_words_arrive, test_boot),
        cmocka_unit_test_setup(FRAME0012_two_mib_frame, test_boot_large),
    };
    return cmocka_run_group_tests_name("frame", tests, test_map_large, NULL);
}
