/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL: its memory windows and bounds, virtual time, and running a
 * real root domain on its own stack through the trap trampoline.
 */
#include <string.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>
#include <libos/libos.h>

#include "support.h"

/* What the root domains below saw, for the test to check afterwards. */
static struct {
    vesper_word bootinfo_magic;
    enum vesper_error print_error;
    enum vesper_error bad_print_error;
    int calls;
    long child_calls;   /* the spinning child's syscalls */
    long root_waited;   /* the root's syscalls before it saw the child run */
} seen;

static int greeting_main(const struct vesper_bootinfo *info)
{
    seen.bootinfo_magic = info->magic;
    seen.print_error = vesper_print("greetings from a domain\n");
    seen.bad_print_error = vesper_debug_print((const char *)8, 4);
    return 42;
}

static void greeting_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, greeting_main);
}

/* Recurse on the domain's stack, making a syscall at each level, so that
 * the stack switches are exercised with deep frames on both sides. */
static int nested_print(int depth)
{
    char buffer[64];
    memset(buffer, 'a' + depth % 26, sizeof buffer);
    seen.calls++;
    if (vesper_debug_print(buffer, 1) != VESPER_OK)
        return -1;
    return depth == 0 ? 0 : nested_print(depth - 1) + buffer[0] - buffer[1];
}

static int nested_main(const struct vesper_bootinfo *info)
{
    (void)info;
    return nested_print(100) == 0 ? 0 : 1;
}

static void nested_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, nested_main);
}

/* A root domain without a fault handler that executes an undefined
 * instruction: the host delivers a signal, the HAL makes it a user
 * exception, and the kernel stops the domain with a logged reason. */
static int trapping_main(const struct vesper_bootinfo *info)
{
    (void)info;
    seen.calls++;
    __builtin_trap();
    seen.calls++; /* never reached: the domain is stopped */
    return 0;
}

static void trapping_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, trapping_main);
}

/* A child that never yields: it makes syscalls that do not block, for
 * ever. Only the end of its slice gives the CPU back. */
static void spinning_child(vesper_word arg)
{
    (void)arg;
    struct vesper_cap_info info;
    for (;;) {
        vesper_cap_identify(VESPER_ROOT_SLOT_CNODE, &info);
        seen.child_calls++;
    }
}

/* The root starts the spinning child, then spins the same way itself
 * until it sees the child has run: each can only be there because the
 * other's slice ended. */
static int preempted_main(const struct vesper_bootinfo *info)
{
    vesper_cptr untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_cptr child = info->empty_first, stack = child + 1;
    struct vesper_frame_info where;
    if (vesper_untyped_retype(untyped, VESPER_OBJECT_DOMAIN, 0, VESPER_ROOT_SLOT_CNODE, 0, 0,
                              child, 1) != VESPER_OK ||
        vesper_untyped_retype(untyped, VESPER_OBJECT_FRAME_4K, 0, VESPER_ROOT_SLOT_CNODE, 0, 0,
                              stack, 1) != VESPER_OK ||
        vesper_frame_get_address(stack, &where) != VESPER_OK ||
        vesper_domain_configure(child, VESPER_ROOT_SLOT_CNODE, VESPER_ROOT_SLOT_PDOM,
                                VESPER_ROOT_SLOT_NULL) != VESPER_OK ||
        vesper_domain_start(child, (vesper_word)(uintptr_t)spinning_child, where.address, 4096,
                            0) != VESPER_OK)
        return 2;
    struct vesper_cap_info cap;
    for (long i = 0; i < 4 * (long)(KERNEL_QUANTUM_NS / HOST_ENTRY_COST_NS); i++) {
        if (seen.child_calls > 0) {
            seen.root_waited = i;
            return 0;
        }
        vesper_cap_identify(VESPER_ROOT_SLOT_CNODE, &cap);
    }
    return 1;
}

static void preempted_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, preempted_main);
}

static int run_root(void (*entry)(vesper_word))
{
    memset(&seen, 0, sizeof seen);
    assert_int_equal(host_machine_reset(TEST_MEMORY, (uintptr_t)entry), 0);
    host_console_capture(test_console, sizeof test_console);
    return host_run();
}

static void HOST0001_root_domain_runs_and_exits(void **state)
{
    (void)state;
    assert_int_equal(run_root(greeting_entry), 42);
    assert_int_equal(seen.bootinfo_magic, VESPER_BOOTINFO_MAGIC);
    assert_int_equal(seen.print_error, VESPER_OK);
    assert_int_equal(seen.bad_print_error, VESPER_ERR_INVALID_ADDRESS);
    assert_non_null(strstr(test_console, "greetings from a domain\n"));
    assert_non_null(strstr(test_console, "vesper: shutdown, status 42\n"));
    assert_false(kernel_is_running());
}

static void HOST0002_many_switches_with_deep_stacks(void **state)
{
    (void)state;
    assert_int_equal(run_root(nested_entry), 0);
    assert_int_equal(seen.calls, 101);
}

/* Virtual time: each kernel entry costs the same, so a run repeats. */
static void HOST0003_virtual_time_counts_entries(void **state)
{
    (void)state;
    run_root(nested_entry);
    /* 101 prints and one exit. */
    assert_int_equal(hal_clock_now_ns(), 102 * HOST_ENTRY_COST_NS);
    run_root(nested_entry);
    assert_int_equal(hal_clock_now_ns(), 102 * HOST_ENTRY_COST_NS);
}

static void HOST0004_deadline_is_recorded_and_cleared(void **state)
{
    (void)state;
    /* Boot gave the root its first slice. */
    assert_int_equal(host_timer_deadline(), hal_clock_now_ns() + KERNEL_QUANTUM_NS);
    hal_timer_set_deadline(5000);
    assert_int_equal(host_timer_deadline(), 5000);
    hal_timer_set_deadline(HAL_DEADLINE_NONE);
    assert_int_equal(host_timer_deadline(), HAL_DEADLINE_NONE);
}

/* In virtual time a slice is KERNEL_QUANTUM_NS of kernel entries: a root
 * that never yields loses the CPU to its spinning child when its slice
 * ends, and gets it back when the child's does; then the run ends. */
static void HOST0010_the_end_of_a_slice_preempts(void **state)
{
    (void)state;
    assert_int_equal(run_root(preempted_entry), 0);
    assert_true(seen.child_calls > 0);
    long slice = (long)(KERNEL_QUANTUM_NS / HOST_ENTRY_COST_NS);
    assert_true(seen.root_waited > slice - 10 && seen.root_waited <= slice);
    /* Run again: virtual time repeats exactly. */
    long waited = seen.root_waited, child = seen.child_calls;
    assert_int_equal(run_root(preempted_entry), 0);
    assert_int_equal(seen.root_waited, waited);
    assert_int_equal(seen.child_calls, child);
}

static void HOST0005_kernel_view_checks_bounds(void **state)
{
    (void)state;
    uintptr_t end = HOST_USER_BASE + TEST_MEMORY;
    unsigned char *first = hal_kernel_view(HOST_USER_BASE, 1);
    assert_ptr_equal(first, (unsigned char *)HOST_KERNEL_WINDOW);
    assert_non_null(hal_kernel_view(HOST_USER_BASE, TEST_MEMORY));
    assert_non_null(hal_kernel_view(end - 1, 1));
    assert_non_null(hal_kernel_view(end - 1, 0));
    assert_null(hal_kernel_view(end, 0));
    assert_null(hal_kernel_view(HOST_USER_BASE, TEST_MEMORY + 1));
    assert_null(hal_kernel_view(HOST_USER_BASE - 1, 1));
    assert_null(hal_kernel_view(UINTPTR_MAX, 2));
    /* Both windows are the same memory. */
    *first = 0x5a;
    assert_int_equal(*(volatile unsigned char *)HOST_USER_BASE, 0x5a);
}

static void HOST0006_memory_map_is_sorted_and_aligned(void **state)
{
    (void)state;
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    assert_int_equal(count, 2);
    size_t free_index = region[0].kind == HAL_REGION_FREE ? 0 : 1;
    assert_int_equal(region[1 - free_index].kind, HAL_REGION_IMAGE);
    assert_int_equal(region[free_index].kind, HAL_REGION_FREE);
    assert_int_equal(region[free_index].base, HOST_USER_BASE);
    assert_int_equal(region[free_index].size, TEST_MEMORY);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(region[i].base % HAL_PAGE_SIZE, 0);
        assert_int_equal(region[i].size % HAL_PAGE_SIZE, 0);
        if (i > 0)
            assert_true(region[i - 1].base + region[i - 1].size <= region[i].base);
    }
}

static void HOST0007_reset_refuses_bad_sizes(void **state)
{
    (void)state;
    assert_int_equal(host_machine_reset(4096, 0), -1);              /* too small */
    assert_int_equal(host_machine_reset(TEST_MEMORY + 1, 0), -1);   /* not pages */
    assert_int_equal(host_machine_reset(TEST_MEMORY * 2, 0), -1);   /* more than mapped */
    assert_int_equal(host_machine_reset(TEST_MEMORY / 2, 0), 0);    /* less is fine */
    assert_int_equal(host_machine_reset(TEST_MEMORY, 0), 0);
}

/* A root domain whose entry function returns. */
static void returning_entry(vesper_word bootinfo)
{
    (void)bootinfo;
    seen.calls++;
}

/* HOST0011: returning from the entry function is a page fault executing
 * at address 0, as on the Pi, where the link register starts at 0: the
 * domain, without a fault handler, is stopped with the reason logged. */
static void HOST0011_returning_from_the_entry_is_a_fault_at_0(void **state)
{
    (void)state;
    assert_int_equal(run_root(returning_entry), KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(seen.calls, 1);
    assert_non_null(strstr(test_console, "stopped: page fault (0xb, pc 0x0, 0x0)"));
    assert_non_null(strstr(test_console, "vesper: no domain can run\n"));
}

static void HOST0008_machine_exception_becomes_a_fault(void **state)
{
    (void)state;
    assert_int_equal(run_root(trapping_entry), KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(seen.calls, 1);
    assert_non_null(strstr(test_console, "stopped: user exception"));
    assert_non_null(strstr(test_console, "vesper: no domain can run\n"));
}

/* A machine with a device region: it is in the map, sorted, past RAM; boot
 * hands it over as a device Untyped; the kernel cannot reach it. Later
 * resets without one have none. */
static void HOST0009_device_region(void **state)
{
    (void)state;
    enum { DEVICE = 32 * 1024 };
    host_machine_devices(DEVICE);
    assert_int_equal(test_boot_machine(TEST_MEMORY), 0);
    host_machine_devices(0);
    const struct hal_memory_region *region;
    size_t count = hal_memory_map(&region);
    assert_int_equal(count, 3);
    size_t devices = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            assert_true(region[i - 1].base + region[i - 1].size <= region[i].base);
        if (region[i].kind != HAL_REGION_DEVICE)
            continue;
        devices++;
        assert_int_equal(region[i].base, HOST_DEVICE_BASE);
        assert_int_equal(region[i].size, DEVICE);
    }
    assert_int_equal(devices, 1);
    assert_null(hal_kernel_view(HOST_DEVICE_BASE, 1));
    const struct vesper_bootinfo *info = test_bootinfo();
    size_t device_untyped = 0;
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        if (!info->untyped[i].device)
            continue;
        device_untyped++;
        assert_int_equal(info->untyped[i].base, HOST_DEVICE_BASE);
        assert_int_equal(info->untyped[i].size_bits, 15);
    }
    assert_int_equal(device_untyped, 1);
    assert_int_equal(test_boot_machine(TEST_MEMORY), 0);
    assert_int_equal(hal_memory_map(&region), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(HOST0001_root_domain_runs_and_exits),
        cmocka_unit_test(HOST0002_many_switches_with_deep_stacks),
        cmocka_unit_test(HOST0003_virtual_time_counts_entries),
        cmocka_unit_test(HOST0008_machine_exception_becomes_a_fault),
        cmocka_unit_test_setup(HOST0004_deadline_is_recorded_and_cleared, test_boot),
        cmocka_unit_test_setup(HOST0005_kernel_view_checks_bounds, test_boot),
        cmocka_unit_test_setup(HOST0006_memory_map_is_sorted_and_aligned, test_boot),
        cmocka_unit_test_setup(HOST0007_reset_refuses_bad_sizes, test_boot),
        cmocka_unit_test(HOST0009_device_region),
        cmocka_unit_test(HOST0010_the_end_of_a_slice_preempts),
        cmocka_unit_test(HOST0011_returning_from_the_entry_is_a_fault_at_0),
    };
    return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
