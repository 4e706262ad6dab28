/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Boot: the bootinfo record, the root CNode's capabilities, the memory
 * handed over as Untyped, and rebooting from scratch. Boot over memory
 * maps the host HAL does not make is in test_boot_map.c (BOOT0013 on).
 */
#include <string.h>

#include "cap.h"
#include "cdt.h"
#include "cspace.h"
#include "state.h"
#include "support.h"

/* What boot carves for the root: CNode, stack, Domain, PDom, IPC buffer
 * and bootinfo frames, and the PageTables its grants need (all of the test
 * machine's RAM lies under one level-3 table: three). */
#define CARVED_BYTES ((1u << (VESPER_ROOT_CNODE_RADIX + VESPER_SLOT_BITS)) + (64u << 10) + \
                      (1u << VESPER_DOMAIN_BITS) + (1u << VESPER_PDOM_BITS) + 2 * 4096u + \
                      3 * (1u << VESPER_PAGE_TABLE_BITS))

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

static void BOOT0001_bootinfo_record_is_valid(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    assert_non_null(info);
    assert_int_equal(info->magic, VESPER_BOOTINFO_MAGIC);
    assert_int_equal(info->version, VESPER_BOOTINFO_VERSION);
    assert_true(info->stack_size >= 16 * 1024);
    assert_int_equal(info->stack_size % HAL_PAGE_SIZE, 0);
    assert_int_equal(info->ipc_buffer % HAL_PAGE_SIZE, 0);
    assert_non_null(hal_kernel_view(info->ipc_buffer, HAL_PAGE_SIZE));
    assert_non_null(hal_kernel_view(info->stack_base, info->stack_size));
    /* After the fixed slots: the stack's frames, the tables, the Untyped. */
    assert_int_equal(info->stack_frame_first, VESPER_ROOT_SLOT_UNTYPED_FIRST);
    assert_int_equal(info->page_table_first,
                     info->stack_frame_first + info->stack_size / HAL_PAGE_SIZE);
    assert_int_equal(info->page_table_count, HAL_PT_LEVELS - 1);
    assert_int_equal(info->untyped_first, info->page_table_first + info->page_table_count);
    assert_int_equal(info->empty_first, info->untyped_first + info->untyped_count);
    assert_int_equal(info->empty_end, 1u << VESPER_ROOT_CNODE_RADIX);
    assert_invariants();
}

static void BOOT0002_banner_names_platform_and_memory(void **state)
{
    (void)state;
    assert_non_null(strstr(test_console, "Vesper " VESPER_VERSION_STRING " on host: "));
    assert_non_null(strstr(test_console, " KiB of memory to hand out\n"));
    assert_non_null(strstr(test_console, "untyped regions handed over; entering the root domain\n"));
}

static void BOOT0003_root_cnode_holds_the_fixed_capabilities(void **state)
{
    (void)state;
    static const enum cap_type expected[] = {
        [VESPER_ROOT_SLOT_NULL] = CAP_NULL,
        [VESPER_ROOT_SLOT_DOMAIN] = CAP_DOMAIN,
        [VESPER_ROOT_SLOT_CNODE] = CAP_CNODE,
        [VESPER_ROOT_SLOT_PDOM] = CAP_PDOM,
        [VESPER_ROOT_SLOT_IPC_BUFFER] = CAP_FRAME_4K,
        [VESPER_ROOT_SLOT_BOOTINFO] = CAP_FRAME_4K,
        [VESPER_ROOT_SLOT_IRQ_CONTROL] = CAP_IRQ_CONTROL,
        [VESPER_ROOT_SLOT_SCHED_CONTROL] = CAP_SCHED_CONTROL,
    };
    for (vesper_word i = 0; i < VESPER_ROOT_SLOT_UNTYPED_FIRST; i++)
        assert_int_equal(cap_type(test_root_slot(i)->cap), expected[i]);
    struct cap cnode = test_root_slot(VESPER_ROOT_SLOT_CNODE)->cap;
    assert_int_equal(cnode_radix(cnode), VESPER_ROOT_CNODE_RADIX);
    assert_int_equal(cnode_guard_size(cnode) + cnode_radix(cnode), 64);
    assert_int_equal(cnode_guard(cnode), 0);
    assert_int_equal(cap_address(test_root_slot(VESPER_ROOT_SLOT_BOOTINFO)->cap),
                     kernel.root_bootinfo);
    assert_int_equal(cap_rights(test_root_slot(VESPER_ROOT_SLOT_BOOTINFO)->cap), VESPER_RIGHT_READ);
    const struct vesper_bootinfo *info = test_bootinfo();
    for (vesper_word i = info->empty_first; i < info->empty_end; i++)
        assert_true(cap_is_null(test_root_slot(i)->cap));
}

static void BOOT0004_untyped_slots_match_bootinfo(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    assert_true(info->untyped_count > 0);
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        const struct vesper_untyped *u = &info->untyped[i];
        struct cap cap = test_root_slot(info->untyped_first + i)->cap;
        assert_int_equal(cap_type(cap), CAP_UNTYPED);
        assert_int_equal(cap_address(cap), u->base);
        assert_int_equal(untyped_size_bits(cap), u->size_bits);
        assert_int_equal(untyped_is_device(cap), u->device);
        assert_int_equal(untyped_watermark(cap), 0);
        assert_int_equal(u->base % (UINT64_C(1) << u->size_bits), 0);
        assert_non_null(hal_kernel_view(u->base, (size_t)1 << u->size_bits));
    }
}

/* The kernel keeps no memory of its own: RAM is what boot carved for the
 * root domain plus what it handed over as Untyped, to the byte. */
static void BOOT0005_all_memory_is_carved_or_untyped(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    uint64_t untyped = 0;
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        untyped += UINT64_C(1) << info->untyped[i].size_bits;
        for (vesper_word j = i + 1; j < info->untyped_count; j++)
            assert_false(overlaps(info->untyped[i].base, UINT64_C(1) << info->untyped[i].size_bits,
                                  info->untyped[j].base, UINT64_C(1) << info->untyped[j].size_bits));
    }
    assert_int_equal(untyped + CARVED_BYTES, TEST_MEMORY);
}

static void BOOT0006_untyped_avoids_what_boot_carved(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    const struct { uint64_t base, size; } carved[] = {
        {info->stack_base, info->stack_size},
        {info->ipc_buffer, HAL_PAGE_SIZE},
        {kernel.root_bootinfo, HAL_PAGE_SIZE},
        {cap_address(test_root_slot(VESPER_ROOT_SLOT_CNODE)->cap),
         UINT64_C(1) << (VESPER_ROOT_CNODE_RADIX + VESPER_SLOT_BITS)},
        {cap_address(test_root_slot(VESPER_ROOT_SLOT_DOMAIN)->cap), UINT64_C(1) << VESPER_DOMAIN_BITS},
        {cap_address(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap), UINT64_C(1) << VESPER_PDOM_BITS},
    };
    for (vesper_word i = 0; i < info->untyped_count; i++)
        for (size_t c = 0; c < sizeof carved / sizeof carved[0]; c++)
            assert_false(overlaps(info->untyped[i].base, UINT64_C(1) << info->untyped[i].size_bits,
                                  carved[c].base, carved[c].size));
}

static void BOOT0007_root_domain_holds_copies(void **state)
{
    (void)state;
    struct cte *cspace = &kernel.root->slots[DOMAIN_SLOT_CSPACE];
    struct cte *ipc = &kernel.root->slots[DOMAIN_SLOT_IPC_BUFFER];
    assert_true(cap_same_object(cspace->cap, test_root_slot(VESPER_ROOT_SLOT_CNODE)->cap));
    assert_true(cdt_is_parent_of(test_root_slot(VESPER_ROOT_SLOT_CNODE), cspace));
    assert_true(cap_same_object(ipc->cap, test_root_slot(VESPER_ROOT_SLOT_IPC_BUFFER)->cap));
    assert_true(cap_same_object(kernel.root->slots[DOMAIN_SLOT_PDOM].cap,
                                test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap));
    assert_true(cap_is_null(kernel.root->slots[DOMAIN_SLOT_FAULT_ENDPOINT].cap));
    assert_int_equal(kernel.root->ipc_buffer, test_bootinfo()->ipc_buffer);
}

static void BOOT0008_image_region_holds_the_program(void **state)
{
    (void)state;
    static const char constant[] = "in the image";
    const struct vesper_bootinfo *info = test_bootinfo();
    bool found = false;
    for (vesper_word i = 0; i < info->region_count; i++) {
        const struct vesper_region *r = &info->region[i];
        if (r->kind == VESPER_REGION_IMAGE && (uintptr_t)constant >= r->base &&
            (uintptr_t)constant < r->base + r->size)
            found = true;
    }
    assert_true(found);
}

static void BOOT0009_reboot_forgets_the_previous_run(void **state)
{
    (void)state;
    uintptr_t first_bootinfo = kernel.root_bootinfo;
    vesper_word empty = test_first_empty();
    assert_int_equal(TEST_CALL(VESPER_ROOT_SLOT_CNODE, cnode_copy, empty, 64,
                               VESPER_ROOT_SLOT_CNODE, VESPER_ROOT_SLOT_PDOM, 64, VESPER_RIGHTS_ALL),
                     VESPER_OK);
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_EXIT, 3, 0);
    assert_false(kernel_is_running());
    assert_non_null(kernel_boot());
    assert_true(kernel_is_running());
    assert_int_equal(kernel_exit_status(), 0);
    assert_int_equal(kernel.root_bootinfo, first_bootinfo);
    assert_true(cap_is_null(test_root_slot(empty)->cap));
    assert_invariants();
}

/* Boot zeroes what it carves, whatever the memory held before. */
static void BOOT0010_carved_frames_are_zeroed(void **state)
{
    (void)state;
    memset(hal_kernel_view(HOST_USER_BASE, TEST_MEMORY), 0xa5, TEST_MEMORY);
    assert_non_null(kernel_boot());
    const struct vesper_bootinfo *info = test_bootinfo();
    const unsigned char *ipc = hal_kernel_view(info->ipc_buffer, HAL_PAGE_SIZE);
    for (size_t i = 0; i < HAL_PAGE_SIZE; i++)
        assert_int_equal(ipc[i], 0);
    const unsigned char *tail = (const unsigned char *)info + sizeof *info;
    for (size_t i = sizeof *info; i < HAL_PAGE_SIZE; i++)
        assert_int_equal(tail[i - sizeof *info], 0);
    assert_int_equal(kernel.root->exit_status, 0);
    assert_invariants();
}

static void BOOT0011_regions_are_sorted_and_disjoint(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    assert_true(info->region_count >= 3);
    for (vesper_word i = 1; i < info->region_count; i++)
        assert_true(info->region[i - 1].base + info->region[i - 1].size <= info->region[i].base);
}

/* The carved pieces are listed: ROOT and KERNEL regions add up to them,
 * and every RAM byte is in exactly one of FREE, ROOT and KERNEL. */
static void BOOT0012_regions_account_for_all_ram(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    uint64_t carved = 0, free_bytes = 0;
    for (vesper_word i = 0; i < info->region_count; i++) {
        const struct vesper_region *r = &info->region[i];
        if (r->kind == VESPER_REGION_ROOT || r->kind == VESPER_REGION_KERNEL)
            carved += r->size;
        if (r->kind == VESPER_REGION_FREE)
            free_bytes += r->size;
    }
    assert_int_equal(carved, CARVED_BYTES);
    assert_int_equal(carved + free_bytes, TEST_MEMORY);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(BOOT0001_bootinfo_record_is_valid, test_boot),
        cmocka_unit_test_setup(BOOT0002_banner_names_platform_and_memory, test_boot),
        cmocka_unit_test_setup(BOOT0003_root_cnode_holds_the_fixed_capabilities, test_boot),
        cmocka_unit_test_setup(BOOT0004_untyped_slots_match_bootinfo, test_boot),
        cmocka_unit_test_setup(BOOT0005_all_memory_is_carved_or_untyped, test_boot),
        cmocka_unit_test_setup(BOOT0006_untyped_avoids_what_boot_carved, test_boot),
        cmocka_unit_test_setup(BOOT0007_root_domain_holds_copies, test_boot),
        cmocka_unit_test_setup(BOOT0008_image_region_holds_the_program, test_boot),
        cmocka_unit_test_setup(BOOT0009_reboot_forgets_the_previous_run, test_boot),
        cmocka_unit_test_setup(BOOT0010_carved_frames_are_zeroed, test_boot),
        cmocka_unit_test_setup(BOOT0011_regions_are_sorted_and_disjoint, test_boot),
        cmocka_unit_test_setup(BOOT0012_regions_account_for_all_ram, test_boot),
    };
    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
