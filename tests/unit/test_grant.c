/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Protection: Frame Grant and Ungrant, PageTable Install and Uninstall
 * (core/object/frame.c, pagetable.c, pdom.c): what each does to the PDom's
 * tree, each of their errors with nothing changed, how deleting and
 * revoking capabilities and PDoms take back what they gave, the boot
 * grants of the root, and the kernel's accesses on a domain's behalf,
 * which never reach past the domain's rights.
 */
#include <string.h>

#include "ipc_support.h"
#include "invariants.h"
#include "pdom.h"

#define R VESPER_FRAME_READ
#define X VESPER_FRAME_EXECUTE

static uintptr_t pdom_table(vesper_word pdom)
{
    return cap_address(slot_cap(pdom));
}

static unsigned rights_at(vesper_word pdom, vesper_word frame)
{
    return pdom_rights_at(pdom_table(pdom), cap_address(slot_cap(frame)));
}

/* A PDom with every table for the frame, and the frame. */
struct granted {
    vesper_word pdom;
    vesper_word frame;
};

static struct granted fresh_pdom_and_frame(void)
{
    struct granted g = {make_object(VESPER_OBJECT_PDOM, 0),
                        make_object(VESPER_OBJECT_FRAME_4K, 0)};
    install_tables(g.pdom, cap_address(slot_cap(g.frame)));
    return g;
}

/* Boot grants the root its stack and IPC buffer (read, write) and its
 * bootinfo (read only) through capabilities it holds, with the tables
 * those need, all listed in bootinfo. */
static void PDOM0006_boot_grants_the_root_its_memory(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    uintptr_t pdom = pdom_table(VESPER_ROOT_SLOT_PDOM);
    for (vesper_word i = 0; i < info->stack_size / HAL_PAGE_SIZE; i++) {
        struct cap frame = slot_cap(info->stack_frame_first + i);
        assert_int_equal(cap_type(frame), CAP_FRAME_4K);
        assert_int_equal(cap_address(frame), info->stack_base + i * HAL_PAGE_SIZE);
        assert_int_equal(pdom_rights_at(pdom, cap_address(frame)), RW);
        assert_true(frame_grant_is_live(frame));
    }
    assert_int_equal(pdom_rights_at(pdom, info->ipc_buffer), RW);
    assert_int_equal(pdom_rights_at(pdom, cap_address(slot_cap(VESPER_ROOT_SLOT_BOOTINFO))), R);
    assert_true(info->page_table_count >= HAL_PT_LEVELS - 1);
    for (vesper_word i = 0; i < info->page_table_count; i++)
        assert_true(page_table_is_installed(slot_cap(info->page_table_first + i)));
    assert_int_equal(info->untyped_first, info->page_table_first + info->page_table_count);
    /* The root's Domain holds a copy of the IPC buffer frame, not the grant. */
    assert_int_equal(root_domain()->slots[DOMAIN_SLOT_IPC_BUFFER].cap.word1, 0);
    /* Nothing else of RAM is granted. */
    assert_int_equal(pdom_rights_at(pdom, cap_address(slot_cap(largest_untyped()))), 0);
    assert_invariants();
}

/* A fresh PDom lacks every level: Grant answers which one to install
 * first, Install takes the highest one missing, and once all three are
 * there the grant gives exactly the rights asked. */
static void PDOM0007_grant_after_installing_each_missing_level(void **state)
{
    (void)state;
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    vesper_word address = cap_address(slot_cap(frame));
    struct vesper_syscall_frame f;
    for (unsigned level = 1; level < HAL_PT_LEVELS; level++) {
        assert_int_equal(TEST_CALL_FRAME(&f, frame, frame_grant, pdom, R), VESPER_ERR_MISSING_TABLE);
        assert_int_equal(f.arg[1], level);
        assert_int_equal(slot_cap(frame).word1, 0);
        vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
        assert_int_equal(TEST_CALL(table, page_table_install, pdom, address + 0x123), VESPER_OK);
        struct cap t = slot_cap(table);
        assert_int_equal(page_table_level(t), level);
        uintptr_t covered = (uintptr_t)1 << hal_pt_shift(level - 1);
        assert_int_equal(page_table_base(t), address & ~(covered - 1));
        assert_invariants();
    }
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, R | X), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), R | X);
    assert_int_equal(frame_grant_rights(slot_cap(frame)), R | X);
    assert_int_equal(frame_grant_slot(slot_cap(frame)), pdom_slot_of(slot_cap(pdom)));
    /* The next page is not granted, nor is the frame in the root's PDom. */
    assert_int_equal(pdom_rights_at(pdom_table(pdom), address + HAL_PAGE_SIZE), 0);
    assert_int_equal(rights_at(VESPER_ROOT_SLOT_PDOM, frame), 0);
    assert_invariants();
}

/* Every error of Grant, each with nothing changed. */
static void PDOM0008_grant_errors_change_nothing(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    vesper_word endpoint = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word read_only = copy_cap(g.frame, R);
    struct vesper_syscall_frame f;
    vesper_word msg_short[1] = {g.pdom};
    assert_int_equal(test_invoke(&f, g.frame, VESPER_FRAME_GRANT, 1, msg_short),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    vesper_word bad_rights[] = {0, VESPER_FRAME_WRITE, X, R | 8, R | 0x100};
    for (size_t i = 0; i < sizeof bad_rights / sizeof bad_rights[0]; i++) {
        assert_int_equal(TEST_CALL_FRAME(&f, g.frame, frame_grant, g.pdom, bad_rights[i]),
                         VESPER_ERR_INVALID_ARGUMENT);
        assert_int_equal(f.arg[1], VESPER_FRAME_GRANT_WORD_RIGHTS);
    }
    assert_int_equal(TEST_CALL_FRAME(&f, g.frame, frame_grant, UNREACHABLE, R),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(f.arg[3], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, g.frame, frame_grant, NO_CAP, R),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, g.frame, frame_grant, endpoint, R),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, g.frame, frame_grant, g.frame, R),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 1);
    /* More rights than the capability has. */
    assert_int_equal(TEST_CALL_FRAME(&f, read_only, frame_grant, g.pdom, RW),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 0);
    assert_int_equal(rights_at(g.pdom, g.frame), 0);
    assert_int_equal(slot_cap(g.frame).word1, 0);
    assert_int_equal(slot_cap(read_only).word1, 0);
    assert_invariants();
    /* A capability grants once; a copy finds the place taken. */
    assert_int_equal(TEST_CALL(read_only, frame_grant, g.pdom, R), VESPER_OK);
    struct cap granted = slot_cap(read_only);
    assert_int_equal(TEST_CALL_FRAME(&f, read_only, frame_grant, VESPER_ROOT_SLOT_PDOM, R),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 0);
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_ERR_DELETE_FIRST);
    assert_int_equal(slot_cap(read_only).word1, granted.word1);
    assert_int_equal(slot_cap(g.frame).word1, 0);
    assert_int_equal(rights_at(g.pdom, g.frame), R);
    assert_invariants();
}

/* A device frame is never executable; it is granted like RAM otherwise. */
static void PDOM0009_device_frames_are_never_executable(void **state)
{
    (void)state;
    vesper_word device = make_device_untyped(VESPER_FRAME_4K_BITS + 1);
    vesper_word frame = make_object_from(device, VESPER_OBJECT_FRAME_4K, 0);
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    install_tables(pdom, cap_address(slot_cap(frame)));
    struct vesper_syscall_frame f;
    assert_int_equal(TEST_CALL_FRAME(&f, frame, frame_grant, pdom, R | X),
                     VESPER_ERR_INVALID_ARGUMENT);
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, RW), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), RW);
    assert_invariants();
}

/* Ungrant takes back this capability's grant only; without one it does
 * nothing and succeeds. */
static void PDOM0010_ungrant_takes_back_its_own_grant(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    vesper_word copy = copy_cap(g.frame, VESPER_RIGHTS_ALL);
    assert_int_equal(test_invoke_msg(NULL, copy, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_OK);
    assert_int_equal(test_invoke_msg(NULL, copy, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), RW);
    assert_int_equal(test_invoke_msg(NULL, g.frame, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), 0);
    assert_int_equal(slot_cap(g.frame).word1, 0);
    assert_invariants();
    /* Now the copy may grant it, with fewer rights. */
    assert_int_equal(TEST_CALL(copy, frame_grant, g.pdom, R), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), R);
    assert_invariants();
}

/* Deleting the capability that granted a frame takes the grant back;
 * deleting a copy does not; revoking the Untyped takes back everything
 * made from it, tables included. */
static void PDOM0011_delete_and_revoke_take_grants_back(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    vesper_word copy = copy_cap(g.frame, VESPER_RIGHTS_ALL);
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_OK);
    assert_int_equal(delete_slot(copy), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), RW);
    assert_int_equal(delete_slot(g.frame), VESPER_OK);
    assert_int_equal(pdom_rights_at(pdom_table(g.pdom), cap_address(slot_cap(g.frame))), 0);
    assert_invariants();
    /* Revoke: a frame granted to the root's PDom, from the largest Untyped. */
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t address = cap_address(slot_cap(frame));
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, RW);
    assert_int_equal(pdom_rights_at(pdom_table(VESPER_ROOT_SLOT_PDOM), address), RW);
    assert_int_equal(revoke_slot(largest_untyped()), VESPER_OK);
    assert_int_equal(pdom_rights_at(pdom_table(VESPER_ROOT_SLOT_PDOM), address), 0);
    assert_invariants();
}

/* Deleting a PDom makes every grant into it stale at once: the frame may
 * be granted again, and its stale record touches nothing in a PDom that
 * takes the same slot later. */
static void PDOM0012_a_deleted_pdom_leaves_only_stale_records(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_OK);
    unsigned slot = pdom_slot_of(slot_cap(g.pdom));
    assert_int_equal(delete_slot(g.pdom), VESPER_OK);
    assert_false(frame_grant_is_live(slot_cap(g.frame)));
    assert_invariants();
    vesper_word again = make_object(VESPER_OBJECT_PDOM, 0);
    assert_int_equal(pdom_slot_of(slot_cap(again)), slot);
    install_tables(again, cap_address(slot_cap(g.frame)));
    vesper_word copy = copy_cap(g.frame, VESPER_RIGHTS_ALL);
    assert_int_equal(TEST_CALL(copy, frame_grant, again, R), VESPER_OK);
    assert_int_equal(delete_slot(g.frame), VESPER_OK); /* its stale grant */
    assert_int_equal(rights_at(again, copy), R);
    assert_int_equal(TEST_CALL(copy, frame_grant, again, R), VESPER_ERR_INVALID_CAPABILITY);
    assert_invariants();
}

/* Every error of Install, each with nothing changed. */
static void PDOM0013_install_errors_change_nothing(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    vesper_word address = cap_address(slot_cap(g.frame));
    vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    vesper_word endpoint = make_object(VESPER_OBJECT_ENDPOINT, 0);
    struct vesper_syscall_frame f;
    vesper_word msg_short[1] = {g.pdom};
    assert_int_equal(test_invoke(&f, table, VESPER_PAGE_TABLE_INSTALL, 1, msg_short),
                     VESPER_ERR_TRUNCATED_MESSAGE);
    assert_int_equal(TEST_CALL_FRAME(&f, table, page_table_install, UNREACHABLE, address),
                     VESPER_ERR_FAILED_LOOKUP);
    assert_int_equal(f.arg[3], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, table, page_table_install, NO_CAP, address),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, table, page_table_install, endpoint, address),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 1);
    assert_int_equal(TEST_CALL_FRAME(&f, table, page_table_install, g.pdom, PT_ADDRESS_LIMIT),
                     VESPER_ERR_RANGE);
    assert_int_equal(f.arg[1], 0);
    assert_int_equal(f.arg[2], PT_ADDRESS_LIMIT - 1);
    /* Every level is there already. */
    assert_int_equal(TEST_CALL(table, page_table_install, g.pdom, address),
                     VESPER_ERR_DELETE_FIRST);
    assert_int_equal(page_table_level(slot_cap(table)), 0);
    assert_invariants();
    /* Installed once, a capability cannot install again. */
    vesper_word far = address + ((vesper_word)1 << hal_pt_shift(0)); /* the next level-0 entry */
    assert_int_equal(TEST_CALL(table, page_table_install, g.pdom, far), VESPER_OK);
    struct cap installed = slot_cap(table);
    assert_int_equal(TEST_CALL_FRAME(&f, table, page_table_install, g.pdom, far + 0x200000),
                     VESPER_ERR_INVALID_CAPABILITY);
    assert_int_equal(f.arg[1], 0);
    struct cap now = slot_cap(table);
    assert_memory_equal(&now, &installed, sizeof installed);
    /* Labels a PageTable has no operation for. */
    for (vesper_word label = 0; label <= VESPER_INVOCATION_LABEL_MAX + 1; label++) {
        if (label == VESPER_PAGE_TABLE_INSTALL || label == VESPER_PAGE_TABLE_UNINSTALL)
            continue;
        assert_int_equal(test_invoke(NULL, table, label, 2, (vesper_word[]){g.pdom, far}),
                         VESPER_ERR_ILLEGAL_OPERATION);
    }
    now = slot_cap(table);
    assert_memory_equal(&now, &installed, sizeof installed);
    assert_invariants();
}

/* A 2 MiB frame is granted at level 2; a level-3 table in its place must
 * go first, and it blocks a table below it. */
static void PDOM0014_large_frames_take_a_level_2_entry(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_2M, 0);
    vesper_word address = cap_address(slot_cap(frame));
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    struct vesper_syscall_frame f;
    assert_int_equal(TEST_CALL_FRAME(&f, frame, frame_grant, pdom, RW), VESPER_ERR_MISSING_TABLE);
    assert_int_equal(f.arg[1], 1);
    install_tables(pdom, address); /* all three: level 3 too */
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, RW), VESPER_ERR_DELETE_FIRST);
    vesper_word pdom2 = make_object(VESPER_OBJECT_PDOM, 0);
    for (int i = 0; i < 2; i++)
        assert_int_equal(TEST_CALL(make_object(VESPER_OBJECT_PAGE_TABLE, 0), page_table_install,
                                   pdom2, address),
                         VESPER_OK);
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom2, RW), VESPER_OK);
    assert_int_equal(pdom_rights_at(pdom_table(pdom2), address + 0x1ff000), RW);
    vesper_word table = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(table, page_table_install, pdom2, address),
                     VESPER_ERR_DELETE_FIRST);
    assert_invariants();
    assert_int_equal(delete_slot(frame), VESPER_OK);
    assert_int_equal(pdom_rights_at(pdom_table(pdom2), address), 0);
    assert_invariants();
}

/* Uninstall unlinks the table and what it held; installed again, even
 * elsewhere, the table starts empty. Deleting the installing capability
 * unlinks it too; deleting a copy does not. */
static void PDOM0015_uninstall_and_delete_unlink_tables(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    vesper_word address = cap_address(slot_cap(g.frame));
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_OK);
    /* The level-3 table: the last one install_tables() made, installed. */
    vesper_word level3 = 0;
    for (vesper_word s = test_first_empty(); s < next_empty_slot(); s++)
        if (cap_type(slot_cap(s)) == CAP_PAGE_TABLE && page_table_level(slot_cap(s)) == 3)
            level3 = s;
    assert_int_not_equal(level3, 0);
    vesper_word copy = copy_cap(level3, VESPER_RIGHTS_ALL);
    assert_int_equal(page_table_level(slot_cap(copy)), 0);
    assert_int_equal(test_invoke_msg(NULL, copy, vesper_page_table_uninstall_msg()), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), RW);
    assert_int_equal(test_invoke_msg(NULL, level3, vesper_page_table_uninstall_msg()), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), 0);
    assert_int_equal(page_table_level(slot_cap(level3)), 0);
    assert_invariants();
    /* The frame's grant is still recorded but reaches nothing; a table
     * installed in its place starts empty, and the old table too. */
    assert_true(frame_grant_is_live(slot_cap(g.frame)));
    vesper_word other = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(other, page_table_install, g.pdom, address), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), 0);
    assert_int_equal(TEST_CALL(level3, page_table_install, g.pdom, address + 0x200000), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, g.frame), 0);
    assert_int_equal(pdom_rights_at(pdom_table(g.pdom), address + 0x200000), 0);
    assert_invariants();
    /* Its stale grant removes nothing another capability granted since. */
    vesper_word frame_copy = copy_cap(g.frame, VESPER_RIGHTS_ALL);
    assert_int_equal(TEST_CALL(frame_copy, frame_grant, g.pdom, R), VESPER_OK);
    assert_int_equal(test_invoke_msg(NULL, g.frame, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, frame_copy), R);
    /* Deleting the installing capability unlinks. */
    assert_int_equal(delete_slot(other), VESPER_OK);
    assert_int_equal(rights_at(g.pdom, frame_copy), 0);
    assert_invariants();
}

/* A moved capability keeps its grant, and deleting it where it went takes
 * the grant back. */
static void PDOM0016_a_grant_moves_with_its_capability(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, RW), VESPER_OK);
    vesper_word dest = next_empty_slot();
    assert_int_equal(TEST_CALL(ROOT_CNODE, cnode_move, dest, 64, ROOT_CNODE, g.frame, 64),
                     VESPER_OK);
    assert_true(frame_grant_is_live(slot_cap(dest)));
    assert_int_equal(rights_at(g.pdom, dest), RW);
    assert_int_equal(delete_slot(dest), VESPER_OK);
    assert_int_equal(pdom_rights_at(pdom_table(g.pdom), cap_address(slot_cap(g.frame))), 0);
    assert_invariants();
}

/* The debug print reads only what the caller may read: its PDom's grants
 * and the boot image; a domain with no PDom reads only the image. */
static void PDOM0017_debug_print_reads_only_granted_memory(void **state)
{
    (void)state;
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t text = test_poke(cap_address(slot_cap(frame)), "hi", 2);
    struct vesper_syscall_frame f;
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, text, 2);
    assert_int_equal(f.arg[0], VESPER_ERR_INVALID_ADDRESS);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, R);
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, text, 2);
    assert_int_equal(f.arg[0], VESPER_OK);
    /* A range running past the granted page. */
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, text + HAL_PAGE_SIZE - 1, 2);
    assert_int_equal(f.arg[0], VESPER_ERR_INVALID_ADDRESS);
    /* A PDom's kernel object is never readable, granted or not. */
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, pdom_table(VESPER_ROOT_SLOT_PDOM), 8);
    assert_int_equal(f.arg[0], VESPER_ERR_INVALID_ADDRESS);
    assert_invariants();
}

/* An IPC buffer the PDom does not grant read and write is no buffer: a
 * message longer than the registers is cut to them, and no capability is
 * received through it. */
static void PDOM0018_an_ungranted_ipc_buffer_is_none(void **state)
{
    (void)state;
    vesper_word ep = make_object(VESPER_OBJECT_ENDPOINT, 0);
    vesper_word server = make_domain(NO_CAP);
    struct vesper_ipc_buffer *buffer = give_ipc_buffer(server);
    (void)buffer;
    struct cap frame_cap = domain_at(server)->slots[DOMAIN_SLOT_IPC_BUFFER].cap;
    /* Take the buffer's grant back: find the granting capability. */
    vesper_word granting = 0;
    for (vesper_word s = test_first_empty(); s < next_empty_slot(); s++)
        if (cap_type(slot_cap(s)) == CAP_FRAME_4K && cap_address(slot_cap(s)) == cap_address(frame_cap) &&
            frame_grant_is_live(slot_cap(s)))
            granting = s;
    assert_int_not_equal(granting, 0);
    assert_non_null(domain_ipc_buffer(domain_at(server)));
    assert_int_equal(test_invoke_msg(NULL, granting, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_null(domain_ipc_buffer(domain_at(server)));
    /* Read only is not enough either. */
    assert_int_equal(TEST_CALL(granting, frame_grant, VESPER_ROOT_SLOT_PDOM, R), VESPER_OK);
    assert_null(domain_ipc_buffer(domain_at(server)));
    (void)ep;
    assert_invariants();
}

/* The kernel activates a domain's PDom when it runs it and the PDom
 * differs; deleting the active PDom deactivates it. */
static void PDOM0019_running_a_domain_activates_its_pdom(void **state)
{
    (void)state;
    assert_int_equal(kernel.active_pdom, pdom_table(VESPER_ROOT_SLOT_PDOM));
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(d, domain_configure, ROOT_CNODE, pdom, NO_CAP), VESPER_OK);
    assert_int_equal(TEST_CALL(d, domain_start, DOMAIN_ENTRY, new_stack(), STACK_SIZE, 0),
                     VESPER_OK);
    struct vesper_syscall_frame f = syscall_as(root_domain(), VESPER_SYS_YIELD, (struct ipc_args){0});
    (void)f;
    assert_ptr_equal(kernel.current, domain_at(d));
    assert_int_equal(kernel.active_pdom, pdom_table(pdom));
    syscall_as(domain_at(d), VESPER_SYS_YIELD, (struct ipc_args){0});
    assert_int_equal(kernel.active_pdom, pdom_table(VESPER_ROOT_SLOT_PDOM));
    syscall_as(root_domain(), VESPER_SYS_YIELD, (struct ipc_args){0});
    uintptr_t table = pdom_table(pdom);
    assert_int_equal(kernel.active_pdom, table);
    /* d, running in it, drops the PDom's last capabilities: the CNode's,
     * then its own slot's by moving itself to the root's PDom. The active
     * PDom is deleted under the running domain, and the kernel activates
     * the root's PDom before d runs on. */
    unsigned slot = pdom_slot_of(slot_cap(pdom));
    assert_ptr_equal(kernel.current, domain_at(d));
    assert_int_equal(delete_slot(pdom), VESPER_OK);
    assert_int_equal(kernel.active_pdom, table); /* d still holds a copy */
    assert_int_equal(TEST_CALL(d, domain_configure, ROOT_CNODE, VESPER_ROOT_SLOT_PDOM, NO_CAP),
                     VESPER_OK);
    assert_false(kernel.pdoms[slot].used);
    assert_ptr_equal(kernel.current, domain_at(d));
    assert_int_equal(kernel.active_pdom, pdom_table(VESPER_ROOT_SLOT_PDOM));
    assert_invariants();
}

/* The checker sees a grant no capability accounts for, and a table no
 * installed capability does. */
static void PDOM0020_the_checker_sees_unaccounted_entries(void **state)
{
    (void)state;
    struct granted g = fresh_pdom_and_frame();
    assert_int_equal(TEST_CALL(g.frame, frame_grant, g.pdom, R), VESPER_OK);
    struct cte *slot = test_root_slot(g.frame);
    uint64_t record = slot->cap.word1;
    slot->cap.word1 = 0; /* as if the grant had been forgotten */
    assert_non_null(kernel_check_invariants());
    slot->cap.word1 = record;
    assert_invariants();
    /* Rights beyond the capability's. */
    slot->cap = cap_with_rights(slot->cap, 0);
    assert_non_null(kernel_check_invariants());
    slot->cap = cap_with_rights(slot->cap, VESPER_RIGHTS_ALL);
    assert_invariants();
}

/* The attack on a table: install a PageTable, then destroy it and retype
 * its memory as a frame the attacker may write. Were the PDom still to
 * link the old table, the attacker would write the PDom's entries. The
 * revocation unlinks the table first: the PDom grants nothing there, the
 * new frame is no table of it, and writing the frame changes no rights. */
static void PDOM0021_a_destroyed_table_is_unlinked_before_its_memory_returns(void **state)
{
    (void)state;
    vesper_word small = make_object(VESPER_OBJECT_UNTYPED, VESPER_PAGE_TABLE_BITS);
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t address = cap_address(slot_cap(frame));
    for (int i = 0; i < 2; i++)
        assert_int_equal(TEST_CALL(make_object(VESPER_OBJECT_PAGE_TABLE, 0), page_table_install,
                                   pdom, address),
                         VESPER_OK);
    vesper_word table = make_object_from(small, VESPER_OBJECT_PAGE_TABLE, 0);
    uintptr_t table_address = cap_address(slot_cap(table));
    assert_int_equal(TEST_CALL(table, page_table_install, pdom, address), VESPER_OK);
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, R), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), R);
    /* Destroy the table by revoking its Untyped; its memory comes back as
     * a frame, granted read-write to the root. */
    assert_int_equal(revoke_slot(small), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_invariants();
    vesper_word reused = make_object_from(small, VESPER_OBJECT_FRAME_4K, 0);
    assert_int_equal(cap_address(slot_cap(reused)), table_address);
    grant_frame(reused, VESPER_ROOT_SLOT_PDOM, RW);
    /* Write what a grant entry would be for every page of the old range. */
    hal_pte *entries = object_bytes(slot_cap(reused));
    uintptr_t base = address & ~(((uintptr_t)1 << hal_pt_shift(2)) - 1);
    for (unsigned i = 0; i < HAL_PT_ENTRIES; i++)
        entries[i] = hal_pte_frame(base + ((uintptr_t)i << HAL_PAGE_BITS), HAL_PT_LEVELS - 1,
                                   RW, false);
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_int_equal(pdom_rights_at(pdom_table(pdom), base), 0);
    assert_invariants();
    /* Installing a new table there starts it empty, whatever it held. */
    vesper_word fresh = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(fresh, page_table_install, pdom, address), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_invariants();
}

/* Taking back what an uninstalled table took with it: an Ungrant whose
 * entry's table is gone, and an Uninstall whose link's table is gone, find
 * nothing to remove and succeed. */
static void PDOM0022_taking_back_below_an_uninstalled_table(void **state)
{
    (void)state;
    vesper_word pdom = make_object(VESPER_OBJECT_PDOM, 0);
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t address = cap_address(slot_cap(frame));
    vesper_word tables[3];
    for (int i = 0; i < 3; i++) {
        tables[i] = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
        assert_int_equal(TEST_CALL(tables[i], page_table_install, pdom, address), VESPER_OK);
    }
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, RW), VESPER_OK);
    vesper_word next_level3 = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(next_level3, page_table_install, pdom, address + 0x200000),
                     VESPER_OK);
    /* Unlink level 2: both level 3s and the grant below become unreachable. */
    assert_int_equal(test_invoke_msg(NULL, tables[1], vesper_page_table_uninstall_msg()),
                     VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), 0);
    assert_int_equal(delete_slot(next_level3), VESPER_OK);
    assert_int_equal(test_invoke_msg(NULL, frame, vesper_frame_ungrant_msg()), VESPER_OK);
    assert_int_equal(slot_cap(frame).word1, 0);
    assert_invariants();
    /* Level 1 is still linked; a new level 2 starts empty, and a new level
     * 3 goes where the old one was. */
    vesper_word again = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(again, page_table_install, pdom, address), VESPER_OK);
    assert_int_equal(page_table_level(slot_cap(again)), 2);
    assert_int_equal(rights_at(pdom, frame), 0);
    vesper_word level3 = make_object(VESPER_OBJECT_PAGE_TABLE, 0);
    assert_int_equal(TEST_CALL(level3, page_table_install, pdom, address), VESPER_OK);
    assert_int_equal(TEST_CALL(frame, frame_grant, pdom, R), VESPER_OK);
    /* The old level 3's record still says it is there: deleting it finds
     * the new one linked in its place and leaves it. */
    assert_true(page_table_is_installed(slot_cap(tables[2])));
    assert_int_equal(delete_slot(tables[2]), VESPER_OK);
    assert_int_equal(rights_at(pdom, frame), R);
    assert_invariants();
}

/* A domain with no PDom may have the kernel read the boot image for it,
 * and nothing else: not even memory its CSpace names. */
static void PDOM0023_a_domain_without_a_pdom_reaches_only_the_image(void **state)
{
    (void)state;
    static const char literal[] = "image";
    vesper_word frame = make_object(VESPER_OBJECT_FRAME_4K, 0);
    uintptr_t text = test_poke(cap_address(slot_cap(frame)), "ram", 3);
    grant_frame(frame, VESPER_ROOT_SLOT_PDOM, R);
    vesper_word d = make_object(VESPER_OBJECT_DOMAIN, 0);
    assert_int_equal(TEST_CALL(d, domain_configure, ROOT_CNODE, NO_CAP, NO_CAP), VESPER_OK);
    assert_int_equal(TEST_CALL(d, domain_start, DOMAIN_ENTRY, new_stack(), STACK_SIZE, 0),
                     VESPER_OK);
    syscall_as(root_domain(), VESPER_SYS_YIELD, (struct ipc_args){0});
    assert_ptr_equal(kernel.current, domain_at(d));
    assert_int_equal(kernel.active_pdom, 0);
    struct vesper_syscall_frame f;
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, text, 3);
    assert_int_equal(f.arg[0], VESPER_ERR_INVALID_ADDRESS);
    test_syscall(&f, VESPER_SYS_DEBUG_PRINT, (uintptr_t)literal, sizeof literal - 1);
    assert_int_equal(f.arg[0], VESPER_OK);
    assert_invariants();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(PDOM0006_boot_grants_the_root_its_memory, test_boot),
        cmocka_unit_test_setup(PDOM0007_grant_after_installing_each_missing_level, test_boot),
        cmocka_unit_test_setup(PDOM0008_grant_errors_change_nothing, test_boot),
        cmocka_unit_test_setup(PDOM0009_device_frames_are_never_executable, test_boot),
        cmocka_unit_test_setup(PDOM0010_ungrant_takes_back_its_own_grant, test_boot),
        cmocka_unit_test_setup(PDOM0011_delete_and_revoke_take_grants_back, test_boot),
        cmocka_unit_test_setup(PDOM0012_a_deleted_pdom_leaves_only_stale_records, test_boot),
        cmocka_unit_test_setup(PDOM0013_install_errors_change_nothing, test_boot),
        cmocka_unit_test_setup(PDOM0014_large_frames_take_a_level_2_entry, test_boot_large),
        cmocka_unit_test_setup(PDOM0015_uninstall_and_delete_unlink_tables, test_boot),
        cmocka_unit_test_setup(PDOM0016_a_grant_moves_with_its_capability, test_boot),
        cmocka_unit_test_setup(PDOM0017_debug_print_reads_only_granted_memory, test_boot),
        cmocka_unit_test_setup(PDOM0018_an_ungranted_ipc_buffer_is_none, test_boot),
        cmocka_unit_test_setup(PDOM0019_running_a_domain_activates_its_pdom, test_boot),
        cmocka_unit_test_setup(PDOM0020_the_checker_sees_unaccounted_entries, test_boot),
        cmocka_unit_test_setup(PDOM0021_a_destroyed_table_is_unlinked_before_its_memory_returns,
                               test_boot),
        cmocka_unit_test_setup(PDOM0022_taking_back_below_an_uninstalled_table, test_boot),
        cmocka_unit_test_setup(PDOM0023_a_domain_without_a_pdom_reaches_only_the_image,
                               test_boot),
    };
    return cmocka_run_group_tests_name("grant", tests, test_map_large, NULL);
}
