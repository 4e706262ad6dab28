/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * Boot over memory maps the host HAL never makes: unused RAM in many
 * pieces, device regions, RAM the kernel cannot reach, too little RAM.
 *
 * The test stands in for two HAL functions through the linker's --wrap
 * (tests/unit/meson.build): hal_memory_map() answers the map a test sets
 * up, over the host HAL's real RAM, and hal_halt() returns to the test
 * instead of ending the process, so a panic can be watched.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cap.h"
#include "invariants.h"
#include "state.h"
#include "support.h"

/* Larger than the other tests' machine, so the crowded map has room. */
#define MAP_MEMORY ((size_t)8 << 20)
#define KIB ((uintptr_t)1 << 10)
#define MIB ((uintptr_t)1 << 20)
#define MAX_TEST_REGIONS 64u
/* Far past the end of RAM: addresses no view of the host HAL covers. */
#define BEYOND_RAM (HOST_USER_BASE + ((uintptr_t)1 << 32))

size_t __real_hal_memory_map(const struct hal_memory_region **regions);

static struct hal_memory_region test_map[MAX_TEST_REGIONS];
static size_t test_map_count;
static bool test_map_used;

size_t __wrap_hal_memory_map(const struct hal_memory_region **regions)
{
    if (!test_map_used)
        return __real_hal_memory_map(regions);
    *regions = test_map;
    return test_map_count;
}

static jmp_buf halted;
static int halt_status;

_Noreturn void __wrap_hal_halt(int status)
{
    halt_status = status;
    longjmp(halted, 1);
}

/* A fresh machine whose map, until the test adds regions, is empty. */
static int reset_map(void **state)
{
    (void)state;
    test_map_used = false;
    if (test_reset_machine(MAP_MEMORY) != 0)
        return -1;
    test_map_count = 0;
    halt_status = -1;
    return 0;
}

/* Add a region at offset from the start of RAM (or at an absolute address
 * when offset is BEYOND_RAM or more). */
static void add_region(uintptr_t offset, size_t size, enum hal_region_kind kind)
{
    assert_true(test_map_count < MAX_TEST_REGIONS);
    uintptr_t base = offset >= BEYOND_RAM ? offset : HOST_USER_BASE + offset;
    test_map[test_map_count++] = (struct hal_memory_region){base, size, kind, false};
}

static int by_base(const void *a, const void *b)
{
    uintptr_t x = ((const struct hal_memory_region *)a)->base;
    uintptr_t y = ((const struct hal_memory_region *)b)->base;
    return (x > y) - (x < y);
}

/* Add the host's image region, sort the map and boot with it. */
static struct hal_context *boot_with_map(void)
{
    const struct hal_memory_region *real;
    size_t count = __real_hal_memory_map(&real);
    for (size_t i = 0; i < count; i++)
        if (real[i].kind == HAL_REGION_IMAGE)
            test_map[test_map_count++] = real[i];
    qsort(test_map, test_map_count, sizeof test_map[0], by_base);
    test_map_used = true;
    return kernel_boot();
}

/* Boot, expecting a panic with this message. */
static void assert_boot_panics(const char *why)
{
    if (setjmp(halted) == 0) {
        boot_with_map();
        fail_msg("boot returned instead of panicking");
    }
    assert_int_equal(halt_status, KERNEL_PANIC_STATUS);
    char expected[128];
    snprintf(expected, sizeof expected, "vesper: PANIC: %s\n", why);
    assert_non_null(strstr(test_console, expected));
}

static const struct vesper_bootinfo *bootinfo(void)
{
    return hal_kernel_view(kernel.root_bootinfo, sizeof(struct vesper_bootinfo));
}

static bool region_listed(uintptr_t base, enum vesper_region_kind kind)
{
    const struct vesper_bootinfo *info = bootinfo();
    for (vesper_word i = 0; i < info->region_count; i++)
        if (info->region[i].base == base && info->region[i].kind == kind)
            return true;
    return false;
}

/* A device region becomes device Untyped (never zeroed or carved), listed
 * as a device region; a free range boot uses up entirely is not listed. */
static void BOOT0013_device_region_is_handed_over_as_device_untyped(void **state)
{
    (void)state;
    const size_t cnode_bytes = (size_t)1 << (VESPER_ROOT_CNODE_RADIX + VESPER_SLOT_BITS);
    const uintptr_t device = BEYOND_RAM;
    add_region(0, cnode_bytes, HAL_REGION_FREE);
    add_region(MIB, MIB, HAL_REGION_FREE);
    add_region(device, 64 * KIB, HAL_REGION_DEVICE);
    assert_non_null(boot_with_map());
    const struct vesper_bootinfo *info = bootinfo();
    assert_int_equal(cap_address(test_root_slot(VESPER_ROOT_SLOT_CNODE)->cap), HOST_USER_BASE);
    assert_false(region_listed(HOST_USER_BASE, VESPER_REGION_FREE));
    assert_true(region_listed(device, VESPER_REGION_DEVICE));
    const struct vesper_untyped *last = &info->untyped[info->untyped_count - 1];
    assert_int_equal(last->base, device);
    assert_int_equal(last->size_bits, 16);
    assert_true(last->device);
    struct cap cap = test_root_slot(info->untyped_first + info->untyped_count - 1)->cap;
    assert_int_equal(cap_type(cap), CAP_UNTYPED);
    assert_true(untyped_is_device(cap));
    assert_int_equal(cap_address(cap), device);
    for (vesper_word i = 0; i + 1 < info->untyped_count; i++)
        assert_false(info->untyped[i].device);
    assert_null(kernel_check_invariants());
}

/* Whether boot said it lost the crowded map's small range i. */
static bool lost_range_named(uintptr_t i)
{
    char line[96];
    snprintf(line, sizeof line, "vesper: unused memory at %p lost: too many ranges\n",
             (void *)(HOST_USER_BASE + 2 * MIB + i * 128 * KIB + 4 * KIB));
    return strstr(test_console, line) != NULL;
}

/* More pieces of unused RAM than boot keeps track of, than bootinfo lists
 * and than it has Untyped entries for: what does not fit is named on the
 * console and left out, and the rest boots as usual. */
static void BOOT0014_crowded_map_keeps_what_fits(void **state)
{
    (void)state;
    add_region(0, 4 * KIB, HAL_REGION_FREE);            /* room for small pieces only */
    add_region(8 * KIB, 4 * KIB, HAL_REGION_FREE);      /* past its end once aligned to 32 KiB */
    add_region(MIB, MIB, HAL_REGION_FREE);              /* where boot carves */
    for (uintptr_t i = 0; i < 40; i++)                  /* 31 pages: 5 Untyped each */
        add_region(2 * MIB + i * 128 * KIB + 4 * KIB, 124 * KIB, HAL_REGION_FREE);
    assert_non_null(boot_with_map());
    assert_non_null(strstr(test_console, "too many ranges\n"));
    assert_non_null(strstr(test_console, "vesper: bootinfo full, region at "));
    assert_non_null(strstr(test_console, "not handed over\n"));
    const struct vesper_bootinfo *info = bootinfo();
    assert_int_equal(info->region_count, VESPER_BOOTINFO_MAX_REGIONS);
    assert_int_equal(info->untyped_count, VESPER_BOOTINFO_MAX_UNTYPED);
    assert_int_equal(info->empty_first, info->untyped_first + VESPER_BOOTINFO_MAX_UNTYPED);
    /* Each piece comes from the first range with room at its alignment:
     * the Domain (2 KiB) from the first, the PDom (4 KiB) from the second. */
    assert_int_equal(cap_address(test_root_slot(VESPER_ROOT_SLOT_DOMAIN)->cap), HOST_USER_BASE);
    assert_int_equal(cap_address(test_root_slot(VESPER_ROOT_SLOT_PDOM)->cap),
                     HOST_USER_BASE + 8 * KIB);
    /* Boot keeps 32 ranges: the first three and 29 of the small ones. */
    assert_false(lost_range_named(28));
    assert_true(lost_range_named(29));
    assert_true(lost_range_named(39));
    assert_null(kernel_check_invariants());
}

static void BOOT0015_unreachable_unused_memory_panics(void **state)
{
    (void)state;
    add_region(BEYOND_RAM, MIB, HAL_REGION_FREE);
    assert_boot_panics("memory map names unused memory the kernel cannot reach");
}

static void BOOT0016_too_little_memory_panics(void **state)
{
    (void)state;
    add_region(0, 16 * KIB, HAL_REGION_FREE);
    assert_boot_panics("not enough memory to boot the root domain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(BOOT0013_device_region_is_handed_over_as_device_untyped, reset_map),
        cmocka_unit_test_setup(BOOT0014_crowded_map_keeps_what_fits, reset_map),
        cmocka_unit_test_setup(BOOT0015_unreachable_unused_memory_panics, reset_map),
        cmocka_unit_test_setup(BOOT0016_too_little_memory_panics, reset_map),
    };
    return cmocka_run_group_tests_name("boot_map", tests, NULL, NULL);
}
