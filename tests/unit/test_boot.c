/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Boot: the bootinfo record, what is carved from free memory and what is
 * left for the root domain, and rebooting from scratch.
 */
#include <string.h>

#include "state.h"
#include "support.h"

static bool overlaps(uintptr_t a, size_t a_size, uintptr_t b, size_t b_size)
{
    return a < b + b_size && b < a + a_size;
}

/* The root domain object's address in the single address space. */
static uintptr_t root_domain_address(void)
{
    return HOST_USER_BASE + ((uintptr_t)kernel.root - HOST_KERNEL_WINDOW);
}

static size_t free_bytes(const struct vesper_bootinfo *info)
{
    size_t total = 0;
    for (vesper_word i = 0; i < info->region_count; i++)
        if (info->region[i].kind == VESPER_REGION_FREE)
            total += info->region[i].size;
    return total;
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
    assert_int_equal(info->stack_base % HAL_PAGE_SIZE, 0);
    assert_non_null(hal_kernel_view(info->ipc_buffer, HAL_PAGE_SIZE));
    assert_non_null(hal_kernel_view(info->stack_base, info->stack_size));
    assert_int_equal(kernel.root->ipc_buffer, info->ipc_buffer);
    assert_invariants();
}

static void BOOT0002_banner_names_platform_and_memory(void **state)
{
    (void)state;
    assert_non_null(strstr(test_console, "Vesper " VESPER_VERSION_STRING " on host: "));
    assert_non_null(strstr(test_console, " KiB free memory\n"));
    assert_non_null(strstr(test_console, "vesper: entering the root domain\n"));
}

static void BOOT0003_carved_memory_is_not_listed_free(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    const struct { uintptr_t base; size_t size; } carved[] = {
        {root_domain_address(), HAL_PAGE_SIZE},
        {info->stack_base, info->stack_size},
        {info->ipc_buffer, HAL_PAGE_SIZE},
        {kernel.root_bootinfo, HAL_PAGE_SIZE},
    };
    for (vesper_word i = 0; i < info->region_count; i++) {
        if (info->region[i].kind != VESPER_REGION_FREE)
            continue;
        for (size_t c = 0; c < sizeof carved / sizeof carved[0]; c++)
            assert_false(overlaps(info->region[i].base, info->region[i].size,
                                  carved[c].base, carved[c].size));
    }
    for (size_t a = 0; a < 4; a++)
        for (size_t b = a + 1; b < 4; b++)
            assert_false(overlaps(carved[a].base, carved[a].size, carved[b].base, carved[b].size));
}

/* The kernel holds no memory of its own: RAM is what boot carved for the
 * root domain plus what bootinfo hands over as free, to the byte. */
static void BOOT0004_only_the_root_objects_are_carved(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    size_t carved = HAL_PAGE_SIZE /* domain */ + info->stack_size + 2 * HAL_PAGE_SIZE;
    assert_int_equal(free_bytes(info) + carved, TEST_MEMORY);
}

static void BOOT0005_image_region_holds_the_program(void **state)
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

static void BOOT0006_reboot_forgets_the_previous_run(void **state)
{
    (void)state;
    uintptr_t first_bootinfo = kernel.root_bootinfo;
    struct vesper_syscall_frame frame;
    test_syscall(&frame, VESPER_SYS_EXIT, 3, 0);
    assert_false(kernel_is_running());
    assert_non_null(kernel_boot());
    assert_true(kernel_is_running());
    assert_int_equal(kernel_exit_status(), 0);
    assert_int_equal(kernel.root_bootinfo, first_bootinfo);
    assert_invariants();
}

/* Boot zeroes what it carves, whatever the memory held before. */
static void BOOT0007_carved_frames_are_zeroed(void **state)
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
}

static void BOOT0008_regions_are_sorted_and_disjoint(void **state)
{
    (void)state;
    const struct vesper_bootinfo *info = test_bootinfo();
    assert_true(info->region_count >= 2);
    for (vesper_word i = 1; i < info->region_count; i++)
        assert_true(info->region[i - 1].base + info->region[i - 1].size <= info->region[i].base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(BOOT0001_bootinfo_record_is_valid, test_boot),
        cmocka_unit_test_setup(BOOT0002_banner_names_platform_and_memory, test_boot),
        cmocka_unit_test_setup(BOOT0003_carved_memory_is_not_listed_free, test_boot),
        cmocka_unit_test_setup(BOOT0004_only_the_root_objects_are_carved, test_boot),
        cmocka_unit_test_setup(BOOT0005_image_region_holds_the_program, test_boot),
        cmocka_unit_test_setup(BOOT0006_reboot_forgets_the_previous_run, test_boot),
        cmocka_unit_test_setup(BOOT0007_carved_frames_are_zeroed, test_boot),
        cmocka_unit_test_setup(BOOT0008_regions_are_sorted_and_disjoint, test_boot),
    };
    return cmocka_run_group_tests_name("boot", tests, NULL, NULL);
}
