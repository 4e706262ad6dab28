/* SPDX-License-Identifier: BlueOak-1.0.0 */
/*
 * The Pi's PL011 UART0 (0x3F201000, peripheral line 57) as a console
 * backend. The kernel prints on the same UART, polled, so the driver only
 * adds receiving: it unmasks the receive and receive-timeout interrupts
 * (IMSC bits 4 and 6), reads DR while the receive FIFO is not empty (FR bit
 * 4), and clears both interrupts (ICR) before it Acks.
 */
#include <libos/console.h>

#define PL011_PAGE 0x3F201000u
#define PL011_LINE 57u

#define DR 0x00u
#define FR 0x18u
#define IMSC 0x38u
#define ICR 0x44u
#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

static volatile uint32_t *reg(volatile void *registers, unsigned offset)
{
    return (volatile uint32_t *)((volatile char *)registers + offset);
}

static void pl011_enable_receive_interrupt(volatile void *registers)
{
    *reg(registers, ICR) = INT_RX | INT_RT;
    *reg(registers, IMSC) = *reg(registers, IMSC) | INT_RX | INT_RT;
}

static bool pl011_read_byte(volatile void *registers, uint8_t *byte)
{
    if (*reg(registers, FR) & FR_RXFE)
        return false;
    *byte = (uint8_t)*reg(registers, DR);
    return true;
}

static void pl011_write_byte(volatile void *registers, uint8_t byte)
{
    while (*reg(registers, FR) & FR_TXFF)
        ;
    *reg(registers, DR) = byte;
}

static void pl011_acknowledge(volatile void *registers)
{
    *reg(registers, ICR) = INT_RX | INT_RT;
}

const struct vesper_uart_device vesper_uart_device = {
    .name = "PL011",
    .address = PL011_PAGE,
    .line = PL011_LINE,
    .enable_receive_interrupt = pl011_enable_receive_interrupt,
    .read_byte = pl011_read_byte,
    .write_byte = pl011_write_byte,
    .acknowledge = pl011_acknowledge,
};
