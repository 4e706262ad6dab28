/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL's simulated devices (hal/host/devices.c): the device pages a
 * reset maps and zeroes, the timer and the UART step by step with their
 * interrupt lines, registers written by a hostile driver, the machine
 * idling until a device's event, and the protection of the device pages,
 * through hand-written trees and through a root domain that drives the
 * UART from a device Frame it granted itself.
 *
 * The model tests need no kernel: they write the registers through the
 * users' window (read-write with protection off), step the devices with
 * host_devices_step() and move the clock with host_clock_advance_to(), as
 * the run loop does.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>

#include <libos/bootinfo.h>
#include <libos/caps.h>
#include <libos/ipc.h>
#include <libos/libos.h>

#include <vesper/host_devices.h>

#include "host_internal.h"
#include "probe.h"
#include "support.h"

#define UART ((volatile struct vesper_host_uart *)(uintptr_t)VESPER_HOST_UART_ADDRESS)
#define TIMER ((volatile struct vesper_host_timer *)(uintptr_t)VESPER_HOST_TIMER_ADDRESS)
#define RING VESPER_HOST_UART_RING
#define DEVICE_PAGES_SIZE ((size_t)VESPER_HOST_DEVICE_PAGES * HAL_PAGE_SIZE)

#define TIMER_ON (VESPER_HOST_TIMER_ENABLE | VESPER_HOST_TIMER_INTERRUPT)
#define RX_ON VESPER_HOST_UART_RX_INTERRUPT
#define TX_ON VESPER_HOST_UART_TX_INTERRUPT

/* ---- Machines and lines -------------------------------------------------- */

/* A machine with the simulated devices and protection mode, not booted. */
static void reset_with_devices(enum host_protection mode)
{
    host_machine_simulated_devices(true);
    host_machine_protection(mode);
    assert_int_equal(test_reset_machine(TEST_MEMORY), 0);
}

static int devices_machine(void **state)
{
    (void)state;
    reset_with_devices(HOST_PROTECTION_OFF);
    return 0;
}

/* Leave the next test (and program) the default machine: no simulated
 * devices, no input, protection off. */
static int default_machine(void **state)
{
    (void)state;
    host_machine_simulated_devices(false);
    host_machine_devices(0);
    host_machine_protection(HOST_PROTECTION_OFF);
    host_uart_input(NULL, 0);
    return test_reset_machine(TEST_MEMORY);
}

/* Whether the devices hold line up: it alone unmasked, is it the one
 * the controller raises? Leaves every line masked, as a reset does. */
static bool line_up(unsigned line)
{
    for (unsigned l = 0; l < HOST_IRQ_LINES; l++)
        hal_irq_mask(l);
    hal_irq_unmask(line);
    bool up = host_irq_next() == (int)line;
    hal_irq_mask(line);
    return up;
}

static bool uart_line(void)
{
    return line_up(VESPER_HOST_UART_LINE);
}

static bool timer_line(void)
{
    return line_up(VESPER_HOST_TIMER_LINE);
}

/* Queue text in the transmit ring as a driver does: bytes at head, then
 * head moved past them. */
static void uart_send(const char *text, size_t length)
{
    uint32_t head = UART->tx_head;
    for (size_t i = 0; i < length; i++)
        UART->tx[(head + i) % RING] = (uint8_t)text[i];
    UART->tx_head = head + (uint32_t)length;
}

/* ---- The device pages -------------------------------------------------- */

/* HOSTDEV0001: the machine's DEVICE region holds the devices' pages, the
 * larger of those and host_machine_devices(); the kernel cannot reach
 * them; boot hands them over as device Untyped. */
static void HOSTDEV0001_reset_gives_a_device_region(void **state)
{
    (void)state;
    const struct hal_memory_region *region;
    for (int round = 0; round < 3; round++) {
        size_t asked = round == 0 ? 0 : round == 1 ? HAL_PAGE_SIZE : 64 * 1024;
        size_t expected = asked > DEVICE_PAGES_SIZE ? asked : DEVICE_PAGES_SIZE;
        host_machine_devices(asked);
        reset_with_devices(HOST_PROTECTION_OFF);
        size_t count = hal_memory_map(&region), devices = 0;
        for (size_t i = 0; i < count; i++) {
            if (region[i].kind != HAL_REGION_DEVICE)
                continue;
            devices++;
            assert_int_equal(region[i].base, HOST_DEVICE_BASE);
            assert_int_equal(region[i].size, expected);
        }
        assert_int_equal(devices, 1);
    }
    host_machine_devices(0);
    assert_null(hal_kernel_view(HOST_DEVICE_BASE, 1));
    assert_null(hal_kernel_view(VESPER_HOST_TIMER_ADDRESS, 8));
    assert_int_equal(test_boot_machine(TEST_MEMORY), 0);
    const struct vesper_bootinfo *info = test_bootinfo();
    size_t device_untyped = 0;
    for (vesper_word i = 0; i < info->untyped_count; i++) {
        if (!info->untyped[i].device)
            continue;
        device_untyped++;
        assert_int_equal(info->untyped[i].base, HOST_DEVICE_BASE);
        assert_int_equal((size_t)1 << info->untyped[i].size_bits, DEVICE_PAGES_SIZE);
    }
    assert_int_equal(device_untyped, 1);
    /* Without the simulated devices there is no region, and stepping does
     * nothing. */
    host_machine_simulated_devices(false);
    assert_int_equal(test_reset_machine(TEST_MEMORY), 0);
    assert_int_equal(hal_memory_map(&region), 2);
    host_devices_step();
    assert_int_equal(host_devices_next_event(), HAL_DEADLINE_NONE);
}

/* HOSTDEV0002: each reset zeroes the pages and the models' state. */
static void HOSTDEV0002_reset_zeroes_the_pages(void **state)
{
    (void)state;
    memset((void *)(uintptr_t)HOST_DEVICE_BASE, 0x5a, DEVICE_PAGES_SIZE);
    UART->tx_head = 0;
    uart_send("xy", 2);
    host_devices_step(); /* the device's tail moves to 2 */
    assert_int_equal(UART->tx_tail, 2);
    reset_with_devices(HOST_PROTECTION_OFF);
    const unsigned char *page = (const unsigned char *)(uintptr_t)HOST_DEVICE_BASE;
    for (size_t i = 0; i < DEVICE_PAGES_SIZE; i++)
        assert_int_equal(page[i], 0);
    host_devices_step();
    assert_int_equal(UART->tx_tail, 0);
    assert_int_equal(UART->rx_head, 0);
    assert_int_equal(UART->rx_dropped, 0);
    assert_int_equal(TIMER->now_ns, 0);
    assert_false(uart_line());
    assert_false(timer_line());
}

/* ---- The timer ------------------------------------------------------------ */

/* HOSTDEV0003: the timer shows the clock, fires when it reaches the
 * comparator, and raises its line while fired; clearing fired drops the
 * line unless the comparator is still past, when it fires again. */
static void HOSTDEV0003_timer_fires_at_its_comparator(void **state)
{
    (void)state;
    TIMER->compare_ns = 1000;
    TIMER->control = TIMER_ON;
    host_devices_step();
    assert_int_equal(TIMER->now_ns, 0);
    assert_int_equal(TIMER->fired, 0);
    assert_false(timer_line());
    host_clock_advance_to(999);
    host_devices_step();
    assert_int_equal(TIMER->now_ns, 999);
    assert_int_equal(TIMER->fired, 0);
    assert_false(timer_line());
    host_clock_advance_to(1000);
    host_devices_step();
    assert_int_equal(TIMER->now_ns, 1000);
    assert_int_equal(TIMER->fired, 1);
    assert_true(timer_line());
    assert_false(uart_line());
    /* Cleared with the comparator still past: it fires again at once. */
    TIMER->fired = 0;
    host_devices_step();
    assert_int_equal(TIMER->fired, 1);
    assert_true(timer_line());
    /* Cleared with the comparator moved on: the line drops. */
    TIMER->compare_ns = 5000;
    TIMER->fired = 0;
    host_devices_step();
    assert_int_equal(TIMER->fired, 0);
    assert_false(timer_line());
    assert_int_equal(host_devices_next_event(), 5000);
    host_clock_advance_to(6000);
    host_devices_step();
    assert_int_equal(TIMER->fired, 1);
    assert_int_equal(host_devices_next_event(), HAL_DEADLINE_NONE); /* fired: nothing to come */
}

/* HOSTDEV0004: the line follows fired and the interrupt bit; fired stays
 * until the driver clears it, even with the timer disabled; a disabled
 * timer never fires. */
static void HOSTDEV0004_timer_line_follows_fired_and_the_enable_bits(void **state)
{
    (void)state;
    TIMER->compare_ns = 100;
    host_clock_advance_to(200);
    host_devices_step(); /* disabled: past the comparator, but no fire */
    assert_int_equal(TIMER->fired, 0);
    assert_int_equal(host_devices_next_event(), HAL_DEADLINE_NONE);
    TIMER->control = VESPER_HOST_TIMER_ENABLE; /* fire without raising the line */
    assert_int_equal(host_devices_next_event(), 100);
    host_devices_step();
    assert_int_equal(TIMER->fired, 1);
    assert_false(timer_line());
    TIMER->control = TIMER_ON;
    host_devices_step();
    assert_true(timer_line());
    TIMER->control = VESPER_HOST_TIMER_INTERRUPT; /* disabled, still fired */
    host_devices_step();
    assert_int_equal(TIMER->fired, 1);
    assert_true(timer_line());
    TIMER->fired = 0;
    host_devices_step();
    assert_int_equal(TIMER->fired, 0);
    assert_false(timer_line());
}

/* HOSTDEV0005: hostile timer registers: unknown control bits are ignored,
 * any non-zero fired counts as fired, a comparator at the end of time
 * never fires, and a driver's write to now_ns is lost. */
static void HOSTDEV0005_timer_takes_hostile_values(void **state)
{
    (void)state;
    TIMER->compare_ns = 0;
    TIMER->control = ~(uint32_t)TIMER_ON;
    TIMER->now_ns = 12345;
    host_devices_step();
    assert_int_equal(TIMER->now_ns, 0);
    assert_int_equal(TIMER->fired, 0);
    assert_false(timer_line());
    TIMER->control = UINT32_MAX;
    TIMER->compare_ns = UINT64_MAX;
    host_clock_advance_to(UINT64_MAX - 1);
    host_devices_step();
    assert_int_equal(TIMER->fired, 0);
    assert_int_equal(host_devices_next_event(), HAL_DEADLINE_NONE);
    TIMER->fired = 0xdead;
    host_devices_step();
    assert_int_equal(TIMER->fired, 1);
    assert_true(timer_line());
}

/* ---- The UART ------------------------------------------------------------- */

/* HOSTDEV0006: what a driver queues reaches the console in order, at the
 * next step, through the ring's wrap-around; a full ring goes at once. */
static void HOSTDEV0006_uart_sends_the_transmit_ring_to_the_console(void **state)
{
    (void)state;
    uart_send("hello, ", 7);
    assert_string_equal(test_console, "");
    host_devices_step();
    assert_string_equal(test_console, "hello, ");
    assert_int_equal(UART->tx_tail, 7);
    uart_send("world\n", 6);
    host_devices_step();
    assert_string_equal(test_console, "hello, world\n");
    static char expected[3 * 1000];
    for (size_t at = 0; at < sizeof expected; at += 1000) { /* through 1024 bytes: it wraps */
        for (size_t i = 0; i < 1000; i++)
            expected[at + i] = (char)('a' + (at + i) % 26);
        uart_send(expected + at, 1000);
        host_devices_step();
    }
    assert_int_equal(host_console_written(), 13 + sizeof expected);
    assert_memory_equal(test_console + 13, expected, sizeof expected);
    static char full[RING];
    memset(full, '=', sizeof full);
    uart_send(full, sizeof full);
    host_console_capture(test_console, sizeof test_console);
    host_devices_step();
    assert_int_equal(host_console_written(), RING);
    assert_memory_equal(test_console, full, RING);
    assert_int_equal(UART->tx_tail, UART->tx_head);
}

/* HOSTDEV0007: input arrives one byte per step, from the first step after
 * the reset; each reset starts it again; new input replaces the old. */
static void HOSTDEV0007_uart_receives_one_byte_per_step(void **state)
{
    (void)state;
    host_uart_input("abc", 3);
    reset_with_devices(HOST_PROTECTION_OFF);
    assert_int_equal(host_devices_next_event(), hal_clock_now_ns());
    for (uint32_t i = 1; i <= 3; i++) {
        host_devices_step();
        assert_int_equal(UART->rx_head, i);
        assert_int_equal(UART->rx[i - 1], "abc"[i - 1]);
    }
    assert_int_equal(host_devices_next_event(), HAL_DEADLINE_NONE);
    host_devices_step();
    assert_int_equal(UART->rx_head, 3);
    assert_int_equal(UART->rx_dropped, 0);
    reset_with_devices(HOST_PROTECTION_OFF);
    host_devices_step();
    assert_int_equal(UART->rx_head, 1);
    assert_int_equal(UART->rx[0], 'a');
    host_uart_input("Z", 1);
    host_devices_step();
    assert_int_equal(UART->rx_head, 2);
    assert_int_equal(UART->rx[1], 'Z');
    host_uart_input(NULL, 0);
    host_devices_step();
    assert_int_equal(UART->rx_head, 2);
}

/* HOSTDEV0008: with the ring full, input is dropped and counted; once the
 * driver reads, bytes arrive again where the ring continues. */
static void HOSTDEV0008_uart_counts_what_a_full_ring_drops(void **state)
{
    (void)state;
    static char input[RING + 5];
    for (size_t i = 0; i < sizeof input; i++)
        input[i] = (char)(i * 7 + 1);
    host_uart_input(input, sizeof input);
    reset_with_devices(HOST_PROTECTION_OFF);
    for (size_t i = 0; i < RING + 3; i++)
        host_devices_step();
    assert_int_equal(UART->rx_head, RING);
    assert_int_equal(UART->rx_dropped, 3);
    for (size_t i = 0; i < RING; i++)
        assert_int_equal(UART->rx[i], (uint8_t)input[i]);
    UART->rx_tail = 2; /* the driver read two */
    host_devices_step();
    host_devices_step();
    assert_int_equal(UART->rx_head, RING + 2);
    assert_int_equal(UART->rx_dropped, 3);
    assert_int_equal(UART->rx[0], (uint8_t)input[RING + 3]);
    assert_int_equal(UART->rx[1], (uint8_t)input[RING + 4]);
    assert_int_equal(UART->rx[2], (uint8_t)input[2]);
    host_uart_input(NULL, 0);
}

/* HOSTDEV0009: the UART's line is up while RX_INTERRUPT is on and bytes
 * wait, or TX_INTERRUPT is on and the transmit ring is empty. */
static void HOSTDEV0009_uart_line_follows_the_enable_bits_and_the_rings(void **state)
{
    (void)state;
    host_uart_input("pq", 2);
    reset_with_devices(HOST_PROTECTION_OFF);
    host_devices_step(); /* 'p' waits, no interrupt on */
    assert_int_equal(UART->rx_head, 1);
    assert_false(uart_line());
    UART->control = RX_ON;
    host_devices_step(); /* 'q' waits too */
    assert_true(uart_line());
    assert_false(timer_line());
    UART->rx_tail = 1;
    host_devices_step();
    assert_true(uart_line()); /* 'q' still waits */
    UART->rx_tail = 2;
    host_devices_step();
    assert_false(uart_line()); /* read all, and no more input */
    UART->control = TX_ON;
    host_devices_step();
    assert_true(uart_line()); /* nothing to send: the ring is empty */
    uart_send("t", 1);
    host_devices_step();
    assert_true(uart_line()); /* sent at this step: empty again */
    assert_string_equal(test_console, "t");
    UART->control = ~(uint32_t)(RX_ON | TX_ON);
    host_devices_step();
    assert_false(uart_line());
    host_uart_input(NULL, 0);
}

/* Fill the bytes of both device pages that hold no register with a mark. */
static void mark_unused_bytes(void)
{
    memset((char *)(uintptr_t)VESPER_HOST_UART_ADDRESS + sizeof(struct vesper_host_uart), 0xa5,
           HAL_PAGE_SIZE - sizeof(struct vesper_host_uart));
    memset((char *)(uintptr_t)VESPER_HOST_TIMER_ADDRESS + sizeof(struct vesper_host_timer),
           0xa5, HAL_PAGE_SIZE - sizeof(struct vesper_host_timer));
}

static void assert_unused_bytes_marked(void)
{
    const unsigned char *uart = (const unsigned char *)(uintptr_t)VESPER_HOST_UART_ADDRESS;
    const unsigned char *timer = (const unsigned char *)(uintptr_t)VESPER_HOST_TIMER_ADDRESS;
    for (size_t i = sizeof(struct vesper_host_uart); i < HAL_PAGE_SIZE; i++)
        assert_int_equal(uart[i], 0xa5);
    for (size_t i = sizeof(struct vesper_host_timer); i < HAL_PAGE_SIZE; i++)
        assert_int_equal(timer[i], 0xa5);
}

/* HOSTDEV0010: indices that run past each other or backwards, and writes
 * to the registers the device owns: the device sends nothing it cannot
 * account for, drops input it has no room for, rewrites its own
 * registers, and touches nothing outside the registers and rings. */
static void HOSTDEV0010_uart_takes_hostile_indices_inside_its_page(void **state)
{
    (void)state;
    host_uart_input("0123456789", 10);
    reset_with_devices(HOST_PROTECTION_OFF);
    mark_unused_bytes();
    UART->tx_head = RING + 1; /* more than the ring holds */
    host_devices_step();
    assert_int_equal(host_console_written(), 0);
    assert_int_equal(UART->tx_tail, RING + 1);
    UART->tx_head = RING; /* behind the device's tail */
    host_devices_step();
    assert_int_equal(host_console_written(), 0);
    assert_int_equal(UART->tx_tail, RING);
    UART->tx_head = 0x80000000u;
    UART->tx_tail = 5; /* the device's own: lost */
    UART->rx_head = 77;
    UART->rx_dropped = 9;
    host_devices_step();
    assert_int_equal(host_console_written(), 0);
    assert_int_equal(UART->tx_tail, 0x80000000u);
    assert_int_equal(UART->rx_head, 3); /* three bytes in by now */
    assert_int_equal(UART->rx_dropped, 0);
    UART->rx_tail = 0x12345678u; /* says the ring is more than full */
    host_devices_step();
    assert_int_equal(UART->rx_head, 3);
    assert_int_equal(UART->rx_dropped, 1);
    UART->rx_tail = 3; /* sane again */
    host_devices_step();
    assert_int_equal(UART->rx_head, 4);
    assert_int_equal(UART->rx[3], '4');
    UART->control = UINT32_MAX;
    uart_send("ok", 2); /* from the head the device agreed to */
    host_devices_step();
    assert_string_equal(test_console, "ok");
    assert_true(uart_line());
    assert_unused_bytes_marked();
    host_uart_input(NULL, 0);
}

/* ---- Idle ----------------------------------------------------------------- */

/* What the root domains below saw: volatile, since a root may stop at a
 * fault between two of its writes. */
struct root_seen {
    enum vesper_error error;
    uint64_t woke_ns;   /* the timer's clock when the root woke */
    uint32_t received;  /* the UART's rx_head then */
    int step;           /* how far the root got */
};
static volatile struct root_seen seen;

/* Make a Notification and bind the handler of line to it (slots from
 * the first empty one): the root can wait for the line. */
static vesper_cptr wait_for_line(const struct vesper_bootinfo *info, unsigned line,
                                 vesper_cptr *handler)
{
    vesper_cptr untyped = info->untyped_first + vesper_largest_ram_untyped(info);
    vesper_cptr notification = info->empty_first;
    *handler = notification + 1;
    enum vesper_error error = vesper_untyped_retype(
        untyped, VESPER_OBJECT_NOTIFICATION, 0, VESPER_ROOT_SLOT_CNODE, 0, 0, notification, 1);
    if (error == VESPER_OK)
        error = vesper_irq_control_get(VESPER_ROOT_SLOT_IRQ_CONTROL, line,
                                       VESPER_ROOT_SLOT_CNODE, *handler, 64);
    if (error == VESPER_OK) /* a binding needs a badge: 1, in the slot after the handler */
        error = vesper_cnode_mint(VESPER_ROOT_SLOT_CNODE, *handler + 1, 64,
                                  VESPER_ROOT_SLOT_CNODE, notification, 64, VESPER_RIGHTS_ALL, 1);
    if (error == VESPER_OK)
        error = vesper_irq_handler_set_notification(*handler, *handler + 1);
    seen.error = error;
    return notification;
}

/* The root arms the timer 3 ms ahead and waits for its line: no domain can
 * run, so the machine jumps to the comparator. The UART's input, with its
 * interrupt off, arrives in the meantime without moving the clock. */
#define WAKE_NS 3000000u
#define IDLE_INPUT 600u

static int timer_waiter_main(const struct vesper_bootinfo *info)
{
    vesper_cptr handler;
    vesper_cptr notification = wait_for_line(info, VESPER_HOST_TIMER_LINE, &handler);
    if (seen.error != VESPER_OK)
        return 1;
    TIMER->compare_ns = WAKE_NS;
    TIMER->control = TIMER_ON;
    seen.step = 1;
    vesper_word badge;
    if (vesper_wait(notification, &badge) != VESPER_OK)
        return 2;
    seen.woke_ns = TIMER->now_ns;
    seen.received = UART->rx_head;
    seen.step = 2;
    TIMER->control = 0;
    TIMER->fired = 0;
    return vesper_irq_handler_ack(handler) == VESPER_OK ? 0 : 3;
}

static void timer_waiter_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, timer_waiter_main);
}

/* The root waits for the timer's line with the timer off: nothing can
 * ever wake it. */
static int forever_waiter_main(const struct vesper_bootinfo *info)
{
    vesper_cptr handler;
    vesper_cptr notification = wait_for_line(info, VESPER_HOST_TIMER_LINE, &handler);
    seen.step = 1;
    vesper_word badge;
    vesper_wait(notification, &badge);
    seen.step = 2; /* never reached */
    return 0;
}

static void forever_waiter_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, forever_waiter_main);
}

static int run_root(void (*entry)(vesper_word), enum host_protection mode)
{
    seen = (struct root_seen){0};
    host_machine_simulated_devices(true);
    host_machine_protection(mode);
    assert_int_equal(host_machine_reset(TEST_MEMORY, (uintptr_t)entry), 0);
    host_console_capture(test_console, sizeof test_console);
    return host_run();
}

/* HOSTDEV0011: an idle machine jumps to the timer's comparator and raises
 * the line there; pending UART input is taken in the meantime, at the
 * time the machine went idle. */
static void HOSTDEV0011_idle_jumps_to_the_timer_comparator(void **state)
{
    (void)state;
    static char input[IDLE_INPUT];
    memset(input, 'i', sizeof input);
    host_uart_input(input, sizeof input);
    assert_int_equal(run_root(timer_waiter_entry, HOST_PROTECTION_OFF), 0);
    host_uart_input(NULL, 0);
    assert_int_equal(seen.error, VESPER_OK);
    assert_int_equal(seen.step, 2);
    assert_int_equal(seen.woke_ns, WAKE_NS);
    assert_int_equal(seen.received, IDLE_INPUT);
    /* The root woke at the comparator and made a few entries since. */
    assert_true(hal_clock_now_ns() >= WAKE_NS);
    assert_true(hal_clock_now_ns() < WAKE_NS + 10 * HOST_ENTRY_COST_NS);
    assert_non_null(strstr(test_console, "vesper: shutdown, status 0\n"));
}

/* HOSTDEV0012: with no event of any kind to come, an idle machine tells
 * the kernel nothing will wake it. */
static void HOSTDEV0012_idle_without_an_event_stops(void **state)
{
    (void)state;
    assert_int_equal(run_root(forever_waiter_entry, HOST_PROTECTION_OFF),
                     KERNEL_NO_DOMAIN_STATUS);
    assert_int_equal(seen.error, VESPER_OK);
    assert_int_equal(seen.step, 1);
    /* At most to the kernel's own deadline: the slice the root waited in. */
    assert_true(hal_clock_now_ns() <= KERNEL_QUANTUM_NS + 100 * HOST_ENTRY_COST_NS);
    assert_non_null(strstr(test_console, "vesper: no domain can run\n"));
}

/* ---- Protection ------------------------------------------------------------ */


enum access { NONE, READ_ONLY, READ_WRITE };

static enum access access_of(uintptr_t address)
{
    if (!test_probe(address, false))
        return NONE;
    return test_probe(address, true) ? READ_WRITE : READ_ONLY;
}

/* A tree of hand-written tables at the top of RAM: a path to the first
 * 2 MiB of RAM and one to the device pages. */
#define RAM_PAGE (HOST_USER_BASE + 64 * 1024)
#define TABLES (HOST_USER_BASE + TEST_MEMORY - 16 * HAL_PAGE_SIZE)

struct tree {
    uintptr_t root, ram_leaf, device_leaf;
};

static hal_pte *entries(uintptr_t table)
{
    return hal_kernel_view(table, HAL_PAGE_SIZE);
}

static unsigned index_at(uintptr_t address, unsigned level)
{
    return (unsigned)(address >> hal_pt_shift(level)) & (HAL_PT_ENTRIES - 1);
}

/* Link tables[1..3] below tables[0] on the path to address. */
static void link_path(const uintptr_t tables[HAL_PT_LEVELS], uintptr_t address)
{
    for (unsigned level = 0; level + 1 < HAL_PT_LEVELS; level++)
        entries(tables[level])[index_at(address, level)] = hal_pte_table(tables[level + 1]);
}

/* Tree n (0 to 1), granting nothing yet. Seven tables: the root and level
 * 1 shared by both paths (the device pages lie in the same 512 GiB). */
static struct tree make_tree(unsigned n)
{
    uintptr_t t[7];
    for (unsigned i = 0; i < 7; i++) {
        t[i] = TABLES + (n * 7 + i) * HAL_PAGE_SIZE;
        memset(entries(t[i]), 0, HAL_PAGE_SIZE);
    }
    assert_int_equal(index_at(HOST_USER_BASE, 0), index_at(HOST_DEVICE_BASE, 0));
    const uintptr_t ram_path[HAL_PT_LEVELS] = {t[0], t[1], t[2], t[3]};
    const uintptr_t device_path[HAL_PT_LEVELS] = {t[0], t[1], t[4], t[5]};
    link_path(ram_path, RAM_PAGE);
    link_path(device_path, HOST_DEVICE_BASE);
    return (struct tree){t[0], t[3], t[5]};
}

static void grant(uintptr_t leaf, uintptr_t page, unsigned rights, bool device)
{
    entries(leaf)[index_at(page, 3)] =
        rights != 0 ? hal_pte_frame(page, 3, rights, device) : hal_pte_empty(page, 3);
}

#define R VESPER_FRAME_READ
#define W VESPER_FRAME_WRITE

/* The device pages follow the active tree as RAM does: granted pages get
 * their rights, others none, a flush applies a change, a switch takes the
 * previous PDom's grants away (across the gap between RAM and the device
 * pages). The device models still reach the pages. */
static void device_pages_follow_the_tree(enum host_protection mode)
{
    reset_with_devices(mode);
    assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), NONE);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), NONE);
    struct tree a = make_tree(0), b = make_tree(1);
    grant(a.ram_leaf, RAM_PAGE, R | W, false);
    grant(a.device_leaf, VESPER_HOST_UART_ADDRESS, R | W, true);
    grant(a.device_leaf, VESPER_HOST_TIMER_ADDRESS, R, true);
    grant(b.ram_leaf, RAM_PAGE, R, false);
    for (int round = 0; round < 2; round++) {
        hal_pdom_activate(a.root, 1);
        assert_int_equal(access_of(RAM_PAGE), READ_WRITE);
        assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), READ_WRITE);
        assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS + 8), READ_ONLY);
        hal_pdom_activate(b.root, 2);
        assert_int_equal(access_of(RAM_PAGE), READ_ONLY);
        assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), NONE);
        assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), NONE);
    }
    hal_pdom_activate(a.root, 1);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), READ_ONLY);
    grant(a.device_leaf, VESPER_HOST_TIMER_ADDRESS, R | W, true);
    grant(a.device_leaf, VESPER_HOST_UART_ADDRESS, 0, true);
    hal_pdom_flush(1, HOST_DEVICE_BASE, DEVICE_PAGES_SIZE);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), READ_WRITE);
    assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), NONE);
    assert_int_equal(access_of(RAM_PAGE), READ_WRITE);
    /* A flush of everything reaches both stretches. */
    grant(a.ram_leaf, RAM_PAGE, 0, false);
    grant(a.device_leaf, VESPER_HOST_TIMER_ADDRESS, 0, true);
    hal_pdom_flush(1, 0, SIZE_MAX);
    assert_int_equal(access_of(RAM_PAGE), NONE);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), NONE);
    /* The models work through the kernel's window whatever the users'. */
    hal_pdom_activate(0, 0);
    host_clock_advance_to(777);
    host_devices_step();
    grant(a.device_leaf, VESPER_HOST_TIMER_ADDRESS, R, true);
    hal_pdom_activate(a.root, 1);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), READ_ONLY); /* lazy: fills it */
    assert_int_equal(TIMER->now_ns, 777);
    /* The stack check sees device pages as the window's. */
    assert_false(host_protection_stack_ready(HOST_DEVICE_BASE, HOST_DEVICE_BASE + 64,
                                             VESPER_HOST_TIMER_ADDRESS + 512));
    hal_pdom_activate(0, 0);
}

static void HOSTDEV0013_device_pages_follow_the_tree_eager(void **state)
{
    (void)state;
    device_pages_follow_the_tree(HOST_PROTECTION_EAGER);
}

static void HOSTDEV0014_device_pages_follow_the_tree_lazy(void **state)
{
    (void)state;
    device_pages_follow_the_tree(HOST_PROTECTION_LAZY);
}

/* HOSTDEV0015: with protection off the device pages are open to all; a
 * machine made without the simulated devices, after one with, has none:
 * the pages stay out of reach, even where a tree grants them. */
static void HOSTDEV0015_a_machine_without_devices_cannot_reach_their_pages(void **state)
{
    (void)state;
    reset_with_devices(HOST_PROTECTION_OFF);
    assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), READ_WRITE);
    assert_int_equal(access_of(VESPER_HOST_TIMER_ADDRESS), READ_WRITE);
    host_machine_simulated_devices(false);
    host_machine_devices(DEVICE_PAGES_SIZE);
    assert_int_equal(test_reset_machine(TEST_MEMORY), 0);
    assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), NONE);
    for (int lazy = 0; lazy < 2; lazy++) {
        host_machine_protection(lazy ? HOST_PROTECTION_LAZY : HOST_PROTECTION_EAGER);
        assert_int_equal(test_reset_machine(TEST_MEMORY), 0);
        struct tree a = make_tree(0);
        grant(a.device_leaf, VESPER_HOST_UART_ADDRESS, R | W, true);
        hal_pdom_activate(a.root, 1);
        assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), NONE);
        hal_pdom_activate(0, 0);
    }
    host_machine_devices(0);
    reset_with_devices(HOST_PROTECTION_OFF);
    assert_int_equal(access_of(VESPER_HOST_UART_ADDRESS), READ_WRITE);
}

/* A root domain under protection that makes Frames of the two device
 * pages, grants the UART's to its PDom, prints through it, and then
 * touches the timer's page, which it never granted: a page fault, and with
 * no fault handler the root is stopped. */
struct table_source {
    vesper_cptr untyped; /* RAM to make PageTables of */
    vesper_cptr next;    /* the next empty slot of the root CNode */
};

static enum vesper_error make_table(void *context, vesper_cptr *table)
{
    struct table_source *source = context;
    *table = source->next++;
    return vesper_untyped_retype(source->untyped, VESPER_OBJECT_PAGE_TABLE, 0,
                                 VESPER_ROOT_SLOT_CNODE, 0, 0, *table, 1);
}

static vesper_word device_untyped(const struct vesper_bootinfo *info)
{
    for (vesper_word i = 0; i < info->untyped_count; i++)
        if (info->untyped[i].device && info->untyped[i].base == HOST_DEVICE_BASE)
            return info->untyped_first + i;
    return 0;
}

static int uart_writer_main(const struct vesper_bootinfo *info)
{
    struct table_source tables = {info->untyped_first + vesper_largest_ram_untyped(info),
                                  info->empty_first + 2};
    vesper_cptr frames = info->empty_first;
    seen.error = vesper_untyped_retype(device_untyped(info), VESPER_OBJECT_FRAME_4K, 0,
                                       VESPER_ROOT_SLOT_CNODE, 0, 0, frames, 2);
    if (seen.error == VESPER_OK)
        seen.error = vesper_frame_grant_with_tables(frames, VESPER_ROOT_SLOT_PDOM,
                                                    VESPER_FRAME_READ | VESPER_FRAME_WRITE,
                                                    make_table, &tables);
    if (seen.error != VESPER_OK)
        return 1;
    seen.step = 1;
    uart_send("the UART says hello\n", 20);
    vesper_yield(); /* a kernel entry: the device sends it */
    seen.step = 2;
    seen.woke_ns = TIMER->now_ns; /* not granted: a page fault */
    seen.step = 3;
    return 0;
}

static void uart_writer_entry(vesper_word bootinfo)
{
    vesper_start_root(bootinfo, uart_writer_main);
}

static void HOSTDEV0016_a_driver_reaches_only_the_device_pages_it_granted(void **state)
{
    (void)state;
    for (int lazy = 0; lazy < 2; lazy++) {
        enum host_protection mode = lazy ? HOST_PROTECTION_LAZY : HOST_PROTECTION_EAGER;
        assert_int_equal(run_root(uart_writer_entry, mode), KERNEL_NO_DOMAIN_STATUS);
        assert_int_equal(seen.error, VESPER_OK);
        assert_int_equal(seen.step, 2);
        const char *said = strstr(test_console, "the UART says hello\n");
        assert_non_null(said);
        const char *fault = strstr(test_console, "stopped: page fault");
        assert_non_null(fault);
        assert_true(said < fault);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(HOSTDEV0001_reset_gives_a_device_region, default_machine),
        cmocka_unit_test_setup_teardown(HOSTDEV0002_reset_zeroes_the_pages, devices_machine,
                                        default_machine),
        cmocka_unit_test_setup_teardown(HOSTDEV0003_timer_fires_at_its_comparator,
                                        devices_machine, default_machine),
        cmocka_unit_test_setup_teardown(HOSTDEV0004_timer_line_follows_fired_and_the_enable_bits,
                                        devices_machine, default_machine),
        cmocka_unit_test_setup_teardown(HOSTDEV0005_timer_takes_hostile_values, devices_machine,
                                        default_machine),
        cmocka_unit_test_setup_teardown(HOSTDEV0006_uart_sends_the_transmit_ring_to_the_console,
                                        devices_machine, default_machine),
        cmocka_unit_test_teardown(HOSTDEV0007_uart_receives_one_byte_per_step, default_machine),
        cmocka_unit_test_teardown(HOSTDEV0008_uart_counts_what_a_full_ring_drops,
                                  default_machine),
        cmocka_unit_test_teardown(HOSTDEV0009_uart_line_follows_the_enable_bits_and_the_rings,
                                  default_machine),
        cmocka_unit_test_teardown(HOSTDEV0010_uart_takes_hostile_indices_inside_its_page,
                                  default_machine),
        cmocka_unit_test_teardown(HOSTDEV0011_idle_jumps_to_the_timer_comparator,
                                  default_machine),
        cmocka_unit_test_teardown(HOSTDEV0012_idle_without_an_event_stops, default_machine),
        cmocka_unit_test_teardown(HOSTDEV0013_device_pages_follow_the_tree_eager,
                                  default_machine),
        cmocka_unit_test_teardown(HOSTDEV0014_device_pages_follow_the_tree_lazy,
                                  default_machine),
        cmocka_unit_test_teardown(
            HOSTDEV0015_a_machine_without_devices_cannot_reach_their_pages, default_machine),
        cmocka_unit_test_teardown(
            HOSTDEV0016_a_driver_reaches_only_the_device_pages_it_granted, default_machine),
    };
    return cmocka_run_group_tests_name("host_devices", tests, NULL, NULL);
}
