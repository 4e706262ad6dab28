/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The simulated devices of the host HAL, as their drivers see them: the
 * register layout of each device page and its interrupt line
 * (hal/host/devices.c simulates them; docs/interrupts.md).
 *
 * A machine made with host_machine_simulated_devices() has a DEVICE region
 * at HOST_DEVICE_BASE (0x520100000000) whose first pages are these
 * devices, one page each. A driver makes a device Frame of the page from
 * the device Untyped that boot hands over, grants it to its PDom, and
 * reads and writes the registers as it would a real device's.
 *
 * What real hardware does instead: a register access reaches the device at
 * once and may have side effects (a read that pops a FIFO). These
 * registers are plain memory, and the device model runs after every kernel
 * entry and while the machine idles: it reads what drivers wrote, acts, and
 * writes back. So a driver's write takes effect by its next kernel entry,
 * and effects are expressed as ring indices and flags rather than as side
 * effects of accesses.
 */
#ifndef VESPER_HOST_DEVICES_H
#define VESPER_HOST_DEVICES_H

#include <stdint.h>

#define VESPER_HOST_DEVICE_BASE 0x520100000000ull
#define VESPER_HOST_DEVICE_PAGES 2u

/* ---- The UART: page 0, interrupt line 0 --------------------------------- */

#define VESPER_HOST_UART_ADDRESS VESPER_HOST_DEVICE_BASE
#define VESPER_HOST_UART_LINE 0u
#define VESPER_HOST_UART_RING 1024u /* bytes in each ring, a power of two */

/* control */
#define VESPER_HOST_UART_RX_INTERRUPT 1u /* line raised while received bytes wait */
#define VESPER_HOST_UART_TX_INTERRUPT 2u /* line raised while the transmit ring is empty */

/* Two rings of bytes. Indices run freely (mod 2^32); a ring holds the bytes
 * from tail to head, so head - tail is its fill. The driver writes
 * tx[head % RING] and then advances tx_head; the device sends what lies
 * between tx_tail and tx_head and advances tx_tail. The device writes
 * rx[rx_head % RING] and advances rx_head; the driver reads from rx_tail and
 * advances it. */
struct vesper_host_uart {
    uint32_t tx_head;  /* driver */
    uint32_t tx_tail;  /* device */
    uint32_t rx_head;  /* device */
    uint32_t rx_tail;  /* driver */
    uint32_t control;  /* driver: VESPER_HOST_UART_*_INTERRUPT */
    uint32_t rx_dropped; /* device: input bytes lost to a full ring */
    uint32_t reserved[2];
    uint8_t tx[VESPER_HOST_UART_RING];
    uint8_t rx[VESPER_HOST_UART_RING];
};

/* ---- The timer: page 1, interrupt line 1 --------------------------------- */

#define VESPER_HOST_TIMER_ADDRESS (VESPER_HOST_DEVICE_BASE + 0x1000u)
#define VESPER_HOST_TIMER_LINE 1u

/* control */
#define VESPER_HOST_TIMER_ENABLE 1u    /* compare against now_ns */
#define VESPER_HOST_TIMER_INTERRUPT 2u /* raise the line while fired */

/* A free-running clock and one comparator. When enabled and now_ns reaches
 * compare_ns the device sets `fired`; the line is raised while fired and
 * the interrupt is enabled. The driver clears fired by writing 0 (and
 * moves compare_ns, or disables, or it fires again at once). */
struct vesper_host_timer {
    uint64_t now_ns;     /* device: the machine's clock, hal_clock_now_ns() */
    uint64_t compare_ns; /* driver */
    uint32_t control;    /* driver: VESPER_HOST_TIMER_* */
    uint32_t fired;      /* device sets 1; driver writes 0 */
};

#endif
