/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Pi's mini UART (UART1, in the AUX page at 0x3F215000, peripheral
 * line 29) as a console backend, built instead of uart_pl011.c when the
 * rpi3_console option puts the kernel's console there. The kernel prints
 * on the same UART, polled, and has already enabled it (AUX_ENABLES) and
 * set its line, baud rate and pins, so the driver only adds receiving.
 *
 * It enables the receive interrupt in AUX_MU_IER (bit 0, the 16550's
 * place; the BCM2835 manual's table has the receive and transmit bits the
 * other way round, and its errata add that bits 2 and 3 must be set for
 * any interrupt to reach the controller on the chip). The line stays
 * raised while the receive FIFO holds a byte, so reading AUX_MU_IO until
 * AUX_MU_LSR bit 0 (data ready) clears is all an acknowledgement needs.
 * Line 29 is the whole AUX block's: the SPI masters' interrupts share it,
 * and stay off.
 */
#include <libos/console.h>

#define AUX_PAGE 0x3F215000u
#define AUX_LINE 29u

#define MU_IO 0x40u
#define MU_IER 0x44u
#define MU_LSR 0x54u
#define IER_RECEIVE (1u << 0)
#define IER_LINE_TO_CONTROLLER (3u << 2)
#define LSR_DATA_READY (1u << 0)
#define LSR_TX_ROOM (1u << 5)

static volatile uint32_t *reg(volatile void *registers, unsigned offset)
{
    return (volatile uint32_t *)((volatile char *)registers + offset);
}

static void miniuart_enable_receive_interrupt(volatile void *registers)
{
    *reg(registers, MU_IER) = IER_RECEIVE | IER_LINE_TO_CONTROLLER;
}

static bool miniuart_read_byte(volatile void *registers, uint8_t *byte)
{
    if ((*reg(registers, MU_LSR) & LSR_DATA_READY) == 0)
        return false;
    *byte = (uint8_t)*reg(registers, MU_IO);
    return true;
}

static void miniuart_write_byte(volatile void *registers, uint8_t byte)
{
    while ((*reg(registers, MU_LSR) & LSR_TX_ROOM) == 0)
        ;
    *reg(registers, MU_IO) = byte;
}

/* Nothing to clear: the reads emptied the FIFO, which lowers the line. */
static void miniuart_acknowledge(volatile void *registers)
{
    (void)registers;
}

const struct vesper_uart_device vesper_uart_device = {
    .name = "mini UART",
    .address = AUX_PAGE,
    .line = AUX_LINE,
    .enable_receive_interrupt = miniuart_enable_receive_interrupt,
    .read_byte = miniuart_read_byte,
    .write_byte = miniuart_write_byte,
    .acknowledge = miniuart_acknowledge,
};
