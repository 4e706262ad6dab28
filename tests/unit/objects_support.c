/* SPDX-License-Identifier: BlueOak-1.0.0 */
/* Helpers for the object-model unit tests (see objects_support.h). */
#include <string.h>

#include <libos/bootinfo.h>

#include "cdt.h"
#include "objects.h"
#include "objects_support.h"

struct cap slot_cap(vesper_word slot)
{
    return test_root_slot(slot)->cap;
}

vesper_word untyped_of_bits(unsigned bits)
{
    const struct vesper_bootinfo *info = test_bootinfo();
    for (vesper_word i = 0; i < info->untyped_count; i++)
        if (info->untyped[i].size_bits == bits && !info->untyped[i].device)
            return info->untyped_first + i;
    return 0;
}

vesper_word largest_untyped(void)
{
    const struct vesper_bootinfo *info = test_bootinfo();
    vesper_word best = vesper_largest_ram_untyped(info);
    assert_true(best < info->untyped_count);
    return info->untyped_first + best;
}

vesper_word next_empty_slot(void)
{
    const struct vesper_bootinfo *info = test_bootinfo();
    for (vesper_word i = info->empty_first; i < info->empty_end; i++)
        if (cap_is_null(slot_cap(i)))
            return i;
    fail_msg("the root CNode is full");
    return 0;
}

enum vesper_error retype_into(struct vesper_syscall_frame *frame, vesper_word untyped,
                              vesper_word type, vesper_word size_bits, vesper_word dest,
                              vesper_word count)
{
    return TEST_CALL_FRAME(frame, untyped, untyped_retype, type, size_bits, ROOT_CNODE, 0, 0, dest,
                           count);
}

vesper_word make_object_from(vesper_word untyped, vesper_word type, vesper_word size_bits)
{
    vesper_word slot = next_empty_slot();
    struct vesper_syscall_frame frame;
    enum vesper_error e = retype_into(&frame, untyped, type, size_bits, slot, 1);
    if (e != VESPER_OK)
        fail_msg("Retype of type %u (size %u) failed with %u (%#lx %#lx)", (unsigned)type,
                 (unsigned)size_bits, (unsigned)e, (unsigned long)frame.arg[1],
                 (unsigned long)frame.arg[2]);
    assert_int_equal(cap_type(slot_cap(slot)), type);
    return slot;
}

vesper_word make_object(vesper_word type, vesper_word size_bits)
{
    return make_object_from(largest_untyped(), type, size_bits);
}

vesper_word make_device_untyped(unsigned bits)
{
    vesper_word slot = make_object(VESPER_OBJECT_UNTYPED, bits);
    struct cte *cte = test_root_slot(slot);
    cte->cap = cap_make(CAP_UNTYPED, cap_address(cte->cap), cap_rights(cte->cap), bits | 1u << 6,
                        untyped_watermark(cte->cap));
    assert_true(untyped_is_device(slot_cap(slot)));
    assert_int_equal(untyped_size_bits(slot_cap(slot)), bits);
    return slot;
}

vesper_word copy_cap(vesper_word src, vesper_word rights)
{
    vesper_word slot = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_copy, slot, 64, ROOT_CNODE, src, 64,
                               rights),
                     VESPER_OK);
    return slot;
}

void move_into_cnode(vesper_word cnode, unsigned radix, vesper_word index, vesper_word src)
{
    assert_int_equal(TEST_CALL(cnode, cnode_move, index, radix, ROOT_CNODE, src, 64),
                     VESPER_OK);
}

enum vesper_error delete_slot(vesper_word slot)
{
    return TEST_CALL(ROOT_CNODE, cnode_delete, slot, 64);
}

enum vesper_error revoke_slot(vesper_word slot)
{
    return TEST_CALL(ROOT_CNODE, cnode_revoke, slot, 64);
}

uint32_t header_type(struct cap cap)
{
    struct object_header *header = object_header_of(cap);
    assert_non_null(header);
    return header->type;
}

void *object_bytes(struct cap cap)
{
    void *view = object_of(cap);
    assert_non_null(view);
    return view;
}

void fill_untyped(vesper_word untyped, unsigned char byte)
{
    struct cap cap = slot_cap(untyped);
    assert_int_equal(cap_type(cap), CAP_UNTYPED);
    size_t size = (size_t)1 << untyped_size_bits(cap);
    void *view = hal_kernel_view(cap_address(cap), size);
    assert_non_null(view);
    assert_false(cdt_has_children(test_root_slot(untyped)));
    memset(view, byte, size);
    test_root_slot(untyped)->cap.word1 = size; /* all of it used, and its objects gone */
}

bool all_zero(const void *p, size_t n)
{
    const unsigned char *bytes = p;
    for (size_t i = 0; i < n; i++)
        if (bytes[i] != 0)
            return false;
    return true;
}

void assert_error_words(const struct vesper_syscall_frame *frame, enum vesper_error error,
                        vesper_word w1, vesper_word w2, vesper_word w3)
{
    assert_int_equal(frame->arg[0], error);
    assert_int_equal(frame->arg[1], w1);
    assert_int_equal(frame->arg[2], w2);
    assert_int_equal(frame->arg[3], w3);
}

void install_tables(vesper_word pdom, vesper_word address)
{
    for (;;) {
        vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
        enum vesper_error error = TEST_CALL(table, page_table_install, pdom, address);
        if (error == VESPER_ERR_DELETE_FIRST) {
            assert_int_equal(delete_slot(table), VESPER_OK);
            return;
        }
        assert_int_equal(error, VESPER_OK);
    }
}

void grant_frame(vesper_word frame, vesper_word pdom, vesper_word rights)
{
    for (;;) {
        enum vesper_error error = TEST_CALL(frame, frame_grant, pdom, rights);
        if (error != VESPER_ERR_MISSING_TABLE) {
            assert_int_equal(error, VESPER_OK);
            return;
        }
        vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
        assert_int_equal(TEST_CALL(table, page_table_install, pdom, cap_address(slot_cap(frame))),
                         VESPER_OK);
    }
}

vesper_word make_irq_notification_from(vesper_word untyped)
{
    vesper_word plain = untyped != 0 ? make_object_from(untyped, VESPER_OBJECT_NOTIFICATION, 0)
                                     : make_object(VESPER_OBJECT_NOTIFICATION, 0);
    vesper_word slot = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_mint, slot, 64, ROOT_CNODE, plain, 64,
                               VESPER_RIGHTS_ALL, 1),
                     VESPER_OK);
    assert_int_equal(delete_slot(plain), VESPER_OK);
    return slot;
}

vesper_word make_irq_notification(void)
{
    return make_irq_notification_from(0);
}
