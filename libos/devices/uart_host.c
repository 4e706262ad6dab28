/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The host HAL's simulated UART (<vesper/host_devices.h>) as a console
 * backend: a ring of received bytes and a ring to send.
 */
#include <vesper/host_devices.h>

#include <libos/console.h>
#include <libos/ipc.h>

static volatile struct vesper_host_uart *regs(volatile void *registers)
{
    return registers;
}

static void host_enable_receive_interrupt(volatile void *registers)
{
    regs(registers)->control = VESPER_HOST_UART_RX_INTERRUPT;
}

static bool host_read_byte(volatile void *registers, uint8_t *byte)
{
    volatile struct vesper_host_uart *u = regs(registers);
    uint32_t tail = u->rx_tail;
    if (tail == u->rx_head)
        return false;
    *byte = u->rx[tail % VESPER_HOST_UART_RING];
    u->rx_tail = tail + 1;
    return true;
}

/* The device drains the ring at each kernel entry: a full ring waits for
 * one (a Yield costs nothing else). */
static void host_write_byte(volatile void *registers, uint8_t byte)
{
    volatile struct vesper_host_uart *u = regs(registers);
    while (u->tx_head - u->tx_tail >= VESPER_HOST_UART_RING)
        vesper_yield();
    u->tx[u->tx_head % VESPER_HOST_UART_RING] = byte;
    u->tx_head = u->tx_head + 1;
}

static void host_acknowledge(volatile void *registers)
{
    (void)registers; /* the line follows the ring: nothing to clear */
}

const struct vesper_uart_device vesper_uart_device = {
    .name = "host UART",
    .address = VESPER_HOST_UART_ADDRESS,
    .line = VESPER_HOST_UART_LINE,
    .enable_receive_interrupt = host_enable_receive_interrupt,
    .read_byte = host_read_byte,
    .write_byte = host_write_byte,
    .acknowledge = host_acknowledge,
};
