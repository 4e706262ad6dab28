/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The simulated devices of <vesper/host_devices.h>: a UART on device page 0
 * and interrupt line 0, a timer on page 1 and line 1.
 *
 * What real hardware does instead: a device is a machine of its own beside
 * the CPU. A register access reaches it at once and may have side effects
 * (a read that pops a FIFO, a write that starts a transfer), it works
 * while the CPU runs, and it raises its interrupt wire the moment its state
 * calls for it. Here the registers are plain memory (memory.c maps the
 * pages) that domains read and write as they please, and the models below
 * run only at fixed points of virtual time: after every kernel entry of the
 * run loop and while the machine idles (run.c). Each step reads what
 * drivers wrote, acts, writes back what the device owns, and sets both
 * lines' levels (interrupts.c). So a driver's write takes effect by its
 * next kernel entry, a line follows the registers with the same delay, and
 * every effect is a ring index or a flag in memory, never the side effect
 * of an access.
 *
 * Every register is hostile: a domain may write anything anywhere in the
 * pages at any time. A step reads each register it needs once, indexes the
 * rings only modulo their size, and keeps the registers the device owns
 * (the UART's tx_tail, rx_head and rx_dropped) in state of its own, which
 * it writes back over whatever a driver put there, as a write to a
 * read-only register is lost. The models reach the pages through the
 * kernel's window, so they work whatever the users' window's protection.
 */
#define _POSIX_C_SOURCE 200809L
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vesper/host_devices.h>

#include "hal.h"
#include "host.h"
#include "host_internal.h"

#define UART_PAGE 0u
#define TIMER_PAGE 1u
#define RING VESPER_HOST_UART_RING

_Static_assert(sizeof(struct vesper_host_uart) <= HAL_PAGE_SIZE, "the UART fits its page");
_Static_assert(sizeof(struct vesper_host_timer) <= HAL_PAGE_SIZE, "the timer fits its page");
_Static_assert(VESPER_HOST_UART_ADDRESS == HOST_DEVICE_BASE + UART_PAGE * HAL_PAGE_SIZE &&
                   VESPER_HOST_TIMER_ADDRESS == HOST_DEVICE_BASE + TIMER_PAGE * HAL_PAGE_SIZE,
               "each device on its page");
_Static_assert(VESPER_HOST_DEVICE_PAGES == 2u, "a page for each device below");
_Static_assert((RING & (RING - 1)) == 0 && RING <= UINT32_MAX / 2,
               "free-running 32-bit indices wrap cleanly modulo the ring");
_Static_assert(VESPER_HOST_UART_LINE < HOST_IRQ_LINES && VESPER_HOST_TIMER_LINE < HOST_IRQ_LINES,
               "the devices' lines are the controller's");

/* The registers the UART owns, as it last wrote them. */
static struct {
    uint32_t tx_tail, rx_head, rx_dropped;
} uart;

/* What arrives on the UART's line (host_uart_input()): bytes[next] is the
 * next byte the current machine receives. */
static struct {
    char *bytes;
    size_t length, next;
} input;

static volatile struct vesper_host_uart *uart_registers(void)
{
    return host_device_page(UART_PAGE);
}

static volatile struct vesper_host_timer *timer_registers(void)
{
    return host_device_page(TIMER_PAGE);
}

void host_devices_reset(void)
{
    uart.tx_tail = uart.rx_head = uart.rx_dropped = 0;
    input.next = 0;
}

void host_uart_input(const char *bytes, size_t length)
{
    free(input.bytes);
    input.bytes = NULL;
    input.length = input.next = 0;
    if (length == 0)
        return;
    input.bytes = malloc(length);
    if (input.bytes == NULL) {
        fprintf(stderr, "vesper: no memory for %zu bytes of UART input\n", length);
        abort();
    }
    memcpy(input.bytes, bytes, length);
    input.length = length;
}

/* ---- The timer ---------------------------------------------------------- */

/* Show the clock, fire when enabled and the comparator is reached (a
 * compare_ns already past fires at once), and keep fired until the driver
 * writes 0 there. Returns the line's level: fired with the interrupt on. */
static bool timer_step(volatile struct vesper_host_timer *t, uint64_t now)
{
    t->now_ns = now;
    uint32_t control = t->control;
    bool fired = t->fired != 0;
    if ((control & VESPER_HOST_TIMER_ENABLE) != 0 && now >= t->compare_ns)
        fired = true;
    t->fired = fired ? 1u : 0u;
    return fired && (control & VESPER_HOST_TIMER_INTERRUPT) != 0;
}

/* ---- The UART ----------------------------------------------------------- */

/* Send what lies between the device's tail and the driver's head to the
 * console, the line sending as fast as the console takes it. A head more
 * than a ring ahead is no count of bytes the ring can hold: the device
 * drops it all and starts again from the head, as a UART whose FIFO
 * overflowed would. */
static void uart_transmit(volatile struct vesper_host_uart *u, uint32_t tx_head)
{
    uint32_t fill = tx_head - uart.tx_tail;
    if (fill > RING) {
        uart.tx_tail = tx_head;
        return;
    }
    char bytes[RING];
    for (uint32_t i = 0; i < fill; i++)
        bytes[i] = (char)u->tx[(uart.tx_tail + i) % RING];
    uart.tx_tail = tx_head;
    if (fill != 0)
        hal_console_write(bytes, fill);
}

/* The process's standard input as the UART's line (real time), or -1. */
static int input_fd = -1;

void host_uart_input_stdin(bool on)
{
    input_fd = on ? STDIN_FILENO : -1;
}

bool host_uart_input_waits(void)
{
    return input_fd >= 0;
}

/* A byte from standard input if one is there now; at its end the line goes
 * quiet for good. */
static bool read_stdin(char *byte)
{
    struct pollfd ready = {.fd = input_fd, .events = POLLIN};
    if (input_fd < 0 || poll(&ready, 1, 0) <= 0)
        return false;
    if (read(input_fd, byte, 1) == 1)
        return true;
    input_fd = -1;
    return false;
}

void host_devices_wait(uint64_t until)
{
    if (input_fd < 0) {
        host_clock_advance_to(until);
        return;
    }
    uint64_t now = hal_clock_now_ns();
    int timeout_ms = -1;
    if (until != HAL_DEADLINE_NONE)
        timeout_ms = until <= now ? 0 : (int)((until - now + 999999u) / 1000000u);
    struct pollfd ready = {.fd = input_fd, .events = POLLIN};
    (void)poll(&ready, 1, timeout_ms); /* input, the time, or a signal */
}

/* Take one byte off the input line, the line's steady rate: into the
 * receive ring, or counted as dropped when the ring is full (or the
 * driver's tail says nothing sensible). Standard input is read only while
 * the ring has room, as a real line's flow control would hold it back. */
static void uart_receive(volatile struct vesper_host_uart *u, uint32_t rx_tail)
{
    char byte;
    bool room = uart.rx_head - rx_tail < RING;
    if (input.next < input.length)
        byte = input.bytes[input.next++];
    else if (!room || !read_stdin(&byte))
        return;
    if (!room) {
        uart.rx_dropped++;
        return;
    }
    u->rx[uart.rx_head % RING] = (uint8_t)byte;
    uart.rx_head++;
}

/* One step of the UART. Returns its line's level: raised while received
 * bytes wait and RX_INTERRUPT is on, or while the transmit ring is empty
 * and TX_INTERRUPT is on. */
static bool uart_step(volatile struct vesper_host_uart *u)
{
    uint32_t tx_head = u->tx_head, rx_tail = u->rx_tail, control = u->control;
    uart_transmit(u, tx_head);
    uart_receive(u, rx_tail);
    u->tx_tail = uart.tx_tail;
    u->rx_head = uart.rx_head;
    u->rx_dropped = uart.rx_dropped;
    bool rx_waiting = uart.rx_head != rx_tail;
    bool tx_empty = uart.tx_tail == tx_head;
    return ((control & VESPER_HOST_UART_RX_INTERRUPT) != 0 && rx_waiting) ||
           ((control & VESPER_HOST_UART_TX_INTERRUPT) != 0 && tx_empty);
}

/* ---- The machine's side ------------------------------------------------- */

void host_devices_step(void)
{
    volatile struct vesper_host_uart *u = uart_registers();
    volatile struct vesper_host_timer *t = timer_registers();
    if (u == NULL || t == NULL)
        return;
    host_irq_set(VESPER_HOST_TIMER_LINE, timer_step(t, hal_clock_now_ns()));
    host_irq_set(VESPER_HOST_UART_LINE, uart_step(u));
}

uint64_t host_devices_next_event(void)
{
    volatile struct vesper_host_timer *t = timer_registers();
    if (t == NULL)
        return HAL_DEADLINE_NONE;
    uint64_t next = HAL_DEADLINE_NONE;
    if (input.next < input.length)
        next = hal_clock_now_ns(); /* the next step takes a byte */
    if ((t->control & VESPER_HOST_TIMER_ENABLE) != 0 && t->fired == 0) {
        uint64_t compare = t->compare_ns;
        if (compare < next)
            next = compare;
    }
    return next;
}
